import { channelLabels } from '@parley/contract';
import { Link } from 'react-router';
import type { Ticket } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { relativeTime } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { trpc } from '../../trpc';
import { StatusBadge } from '../tickets/badges';

/** Who the customer is and what else they have asked about. */
export function CustomerPanel({ ticket }: { ticket: Ticket }) {
  const now = useNow();
  const { customer } = ticket;
  // The ticket carries the customer's id and name; the email comes from the user directory.
  const directory = trpc.users.list.useQuery(
    { role: ['customer'], q: customer.name },
    { staleTime: 60_000 },
  );
  const email = directory.data?.find((user) => user.id === customer.id)?.email;
  const others = trpc.tickets.list.useQuery({ customerId: customer.id, limit: 6 });
  const otherTickets = (others.data?.items ?? []).filter((t) => t.id !== ticket.id).slice(0, 5);

  return (
    <section className="panel" aria-labelledby="customer-title">
      <h2 id="customer-title" className="panel__title">
        Customer
      </h2>
      <div className="customer">
        <Avatar id={customer.id} name={customer.name} size={36} />
        <div className="customer__text">
          <p className="customer__name">{customer.name}</p>
          {email ? (
            <a className="customer__email" href={`mailto:${email}`}>
              {email}
            </a>
          ) : (
            <span className="customer__email muted">{directory.isPending ? 'Loading…' : ''}</span>
          )}
        </div>
      </div>
      {ticket.channel !== 'portal' ? <ChatDetails ticket={ticket} /> : null}
      <h3 className="panel__subtitle">Other tickets</h3>
      {others.isPending ? (
        <p className="muted">Loading…</p>
      ) : otherTickets.length === 0 ? (
        <p className="muted">No other tickets.</p>
      ) : (
        <ul className="mini-list">
          {otherTickets.map((other) => (
            <li key={other.id}>
              <Link to={`/agent/tickets/${other.id}`} className="mini-list__link">
                <span className="mini-list__subject">
                  <span className="mono muted">#{other.number}</span> {other.subject}
                </span>
                <span className="mini-list__meta">
                  <StatusBadge status={other.status} />
                  <span className="muted">{relativeTime(other.updatedAt, now)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** For a chat (or any ticket not from the portal): the site, the visitor's phone, page and browser. */
function ChatDetails({ ticket }: { ticket: Ticket }) {
  const details = trpc.tickets.chatDetails.useQuery({ ticketId: ticket.id }, { staleTime: 60_000 });
  const d = details.data;
  return (
    <>
      <h3 className="panel__subtitle">{channelLabels[ticket.channel]}</h3>
      {!d ? (
        <p className="muted">{details.isPending ? 'Loading…' : ''}</p>
      ) : (
        <dl className="chat-details" data-testid="chat-details">
          {d.widgetName ? (
            <>
              <dt>Site</dt>
              <dd>{d.widgetName}</dd>
            </>
          ) : null}
          {d.verified !== null ? (
            <>
              <dt>Identity</dt>
              <dd>
                {d.verified ? 'Verified by the site' : 'Not verified (as typed by the visitor)'}
              </dd>
            </>
          ) : null}
          {d.phone ? (
            <>
              <dt>Phone</dt>
              <dd>
                <a href={`tel:${d.phone}`}>{d.phone}</a>
              </dd>
            </>
          ) : null}
          {d.pageUrl ? (
            <>
              <dt>Page</dt>
              <dd className="chat-details__long">
                <a href={d.pageUrl} target="_blank" rel="noopener noreferrer">
                  {d.pageUrl}
                </a>
              </dd>
            </>
          ) : null}
          {d.userAgent ? (
            <>
              <dt>Browser</dt>
              <dd className="chat-details__long">{d.userAgent}</dd>
            </>
          ) : null}
          {d.country ? (
            <>
              <dt>Country</dt>
              <dd>{countryName(d.country)}</dd>
            </>
          ) : null}
        </dl>
      )}
    </>
  );
}

const regionNames = new Intl.DisplayNames(undefined, { type: 'region' });

/** "DE" → "Germany" in the agent's language; the code itself when the browser has no name. */
function countryName(code: string): string {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}
