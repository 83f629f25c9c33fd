import type { Category, EventAudience, NewEvent, Priority, Role, Status } from '@parley/db';
import type { Message } from './messages';
import type { TicketSummary } from './tickets';

/**
 * `data` of a `ticket.updated` event: only the fields that changed, with their new
 * values, and the ticket's new `updatedAt`.
 */
export type TicketUpdatedData = {
  status?: Status;
  priority?: Priority;
  category?: Category;
  assignee?: { id: string; name: string } | null;
  firstResponseAt?: string | null;
  resolvedAt?: string | null;
  closedAt?: string | null;
  /** Only ever null: a reopen withdrew the rating. */
  rating?: null;
  updatedAt: string;
};

/** `data` of each logged event type: `events.payload` holds exactly this. */
export type TicketEventData = {
  'ticket.created': TicketSummary;
  'ticket.updated': TicketUpdatedData;
  'message.created': Message;
  'message.read': { userId: string; role: Role; seq: number };
  'ticket.rated': { score: number };
};

type LoggedType = keyof TicketEventData;

/**
 * `TicketEvent` of api.md with `data` typed by `type` (a discriminated union): one
 * logged change as subscriptions yield it. `id` is the commit-ordered event id as a
 * decimal string (the `tracked()` id, and `lastEventId`).
 */
export type TypedTicketEvent = {
  [T in LoggedType]: {
    id: string;
    ticketId: string;
    type: T;
    at: string;
    data: TicketEventData[T];
  };
}[LoggedType];

/** A row for the event log (`appendEvents`), typed by event type. */
export function ticketEvent<T extends LoggedType>(
  ticket: { id: string; customerId: string },
  type: T,
  data: TicketEventData[T],
  audience: EventAudience = 'all',
): NewEvent {
  return { ticketId: ticket.id, customerId: ticket.customerId, type, audience, payload: data };
}
