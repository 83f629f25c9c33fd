import { categoryLabels } from '@parley/contract';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TicketSummary } from '../../api/types';
import { Avatar } from '../../components/avatar';
import { fullDateTime, relativeTime } from '../../lib/time';
import { useNow } from '../../lib/use-now';
import { PriorityBadge, StatusBadge, UnreadBadge } from '../tickets/badges';

/** Ids of rows that changed since the last render, highlighted for a moment. */
function useChangedRows(tickets: TicketSummary[]): Set<string> {
  const seen = useRef<Map<string, string> | null>(null);
  const [changed, setChanged] = useState<Set<string>>(new Set());
  useEffect(() => {
    const previous = seen.current;
    const next = new Map(tickets.map((t) => [t.id, t.updatedAt]));
    seen.current = next;
    if (!previous) return;
    const fresh = tickets.filter((t) => previous.get(t.id) !== t.updatedAt).map((t) => t.id);
    if (fresh.length === 0) return;
    setChanged(new Set(fresh));
    const timer = setTimeout(() => setChanged(new Set()), 2_000);
    return () => clearTimeout(timer);
  }, [tickets]);
  return changed;
}

export function QueueTable({ tickets }: { tickets: TicketSummary[] }) {
  const now = useNow();
  const navigate = useNavigate();
  const changed = useChangedRows(tickets);
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Tickets">
        <thead>
          <tr>
            <th scope="col" className="col-number col-wide">
              #
            </th>
            <th scope="col">Subject</th>
            <th scope="col" className="col-optional">
              Customer
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="col-wide">
              Priority
            </th>
            <th scope="col" className="col-optional">
              Category
            </th>
            <th scope="col" className="col-optional">
              Assignee
            </th>
            <th scope="col" className="col-time col-wide">
              Updated
            </th>
            <th scope="col" className="col-unread col-wide">
              <span className="visually-hidden">Unread</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tickets.map((ticket) => (
            <tr
              key={ticket.id}
              data-testid="queue-row"
              className={[
                'table__row',
                ticket.unreadCount > 0 ? 'table__row--unread' : '',
                changed.has(ticket.id) ? 'table__row--changed' : '',
              ].join(' ')}
              onClick={(event) => {
                if ((event.target as HTMLElement).closest('a, button')) return;
                void navigate(`/agent/tickets/${ticket.id}`);
              }}
            >
              <td className="col-number col-wide mono">{ticket.number}</td>
              <td className="col-subject">
                <Link to={`/agent/tickets/${ticket.id}`} className="table__subject">
                  {ticket.subject}
                </Link>
                {ticket.lastMessagePreview ? (
                  <span className="table__preview">{ticket.lastMessagePreview}</span>
                ) : null}
                <span className="table__phone-meta">
                  <span className="mono">#{ticket.number}</span>
                  <PriorityBadge priority={ticket.priority} />
                  <span>{relativeTime(ticket.updatedAt, now)}</span>
                  <UnreadBadge count={ticket.unreadCount} />
                </span>
              </td>
              <td className="col-optional nowrap">{ticket.customer.name}</td>
              <td>
                <StatusBadge status={ticket.status} />
              </td>
              <td className="col-wide">
                <PriorityBadge priority={ticket.priority} />
              </td>
              <td className="col-optional">{categoryLabels[ticket.category]}</td>
              <td className="col-optional">
                {ticket.assignee ? (
                  <span className="person">
                    <Avatar id={ticket.assignee.id} name={ticket.assignee.name} size={20} />
                    {ticket.assignee.name}
                  </span>
                ) : (
                  <span className="muted">Unassigned</span>
                )}
              </td>
              <td className="col-time col-wide">
                <time dateTime={ticket.updatedAt} title={fullDateTime(ticket.updatedAt)}>
                  {relativeTime(ticket.updatedAt, now)}
                </time>
              </td>
              <td className="col-unread col-wide">
                <UnreadBadge count={ticket.unreadCount} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
