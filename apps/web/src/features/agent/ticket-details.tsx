import type { ReactNode } from 'react';
import type { Ticket } from '../../api/types';
import { StarIcon } from '../../components/icons';
import { fullDateTime } from '../../lib/time';

/** Timestamps, order reference and rating, for the sidebar. */
export function TicketDetails({ ticket }: { ticket: Ticket }) {
  const rows: [string, ReactNode][] = [
    ['Created', fullDateTime(ticket.createdAt)],
    ['First response', ticket.firstResponseAt ? fullDateTime(ticket.firstResponseAt) : 'Not yet'],
  ];
  if (ticket.resolvedAt) rows.push(['Resolved', fullDateTime(ticket.resolvedAt)]);
  if (ticket.closedAt) rows.push(['Closed', fullDateTime(ticket.closedAt)]);
  if (ticket.orderRef) rows.push(['Order', <span className="mono">{ticket.orderRef}</span>]);
  return (
    <section className="panel" aria-labelledby="details-title">
      <h2 id="details-title" className="panel__title">
        Details
      </h2>
      <dl className="details">
        {rows.map(([label, value]) => (
          <div key={label} className="details__row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        {ticket.rating ? (
          <div className="details__row">
            <dt>Rating</dt>
            <dd>
              <span
                className="stars stars--small"
                role="img"
                aria-label={`${ticket.rating.score} out of 5`}
                data-testid="ticket-rating"
              >
                {[1, 2, 3, 4, 5].map((n) => (
                  <StarIcon key={n} filled={n <= (ticket.rating?.score ?? 0)} size={14} />
                ))}
              </span>
              {ticket.rating.comment ? (
                <span className="details__comment">“{ticket.rating.comment}”</span>
              ) : null}
            </dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
