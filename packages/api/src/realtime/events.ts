import { parseEvent, type ContractEvent } from '@parley/contract';
import { isAgent, type EventRow, type Viewer } from '@parley/db';
import type { TicketEventData, TypedTicketEvent } from '../domain/events';

export { isAgent, type Viewer };

/** The logged event types (README, "Delivery guarantee"). */
export type TicketEventType = keyof TicketEventData;

/**
 * One row of the event log as a subscriber receives it, inside `tracked(id, event)`:
 * `data` is typed by `type` (what the writing procedure stored, `TicketEventData`).
 */
export type TicketEvent = TypedTicketEvent;

/**
 * The first event of a subscription opened without `lastEventId`: load the current
 * state with queries now; every change after this cursor follows on the stream.
 */
export type ReadyEvent = { id: string; type: 'ready' };

/**
 * The client is too far behind (or sent a cursor the log does not know) to replay
 * what it missed: it must reload its state with queries. The stream continues live
 * from this cursor, so nothing after it is missed.
 */
export type ResyncEvent = {
  id: string;
  type: 'resync';
  reason: 'too-far-behind' | 'unknown-cursor';
};

/** What a subscriber receives with a cursor (`tracked`): replayable after a reconnect. */
export type StreamEvent = TicketEvent | ReadyEvent | ResyncEvent;

/** Someone started or stopped typing on a ticket (untracked, never replayed). */
export type TypingEvent = {
  type: 'typing';
  ticketId: string;
  data: { user: Viewer; typing: boolean };
};

/** Who else is viewing a ticket right now (untracked, never replayed). */
export type PresenceEvent = { type: 'presence'; ticketId: string; data: { viewers: Viewer[] } };

export type EphemeralEvent = TypingEvent | PresenceEvent;

/** An event as the hub fans it out: the client shape, built once, plus routing fields. */
export type LoggedEvent = {
  cursor: number;
  customerId: string;
  audience: EventRow['audience'];
  event: TicketEvent;
};

/**
 * An event of the contract as subscribers receive it. The one place where the stored
 * shape and the API's meet: today they are the same at version 1, minus the version,
 * so a change to either side that breaks this is a type error here.
 */
export function toTicketEvent(event: ContractEvent): TicketEvent {
  const { id, ticketId, at } = event;
  switch (event.type) {
    case 'ticket.created':
      return { id, ticketId, at, type: event.type, data: event.data };
    case 'ticket.updated':
      return { id, ticketId, at, type: event.type, data: event.data };
    case 'message.created':
      return { id, ticketId, at, type: event.type, data: event.data };
    case 'message.read':
      return { id, ticketId, at, type: event.type, data: event.data };
    case 'message.delivery':
      return { id, ticketId, at, type: event.type, data: event.data };
    case 'ticket.rated':
      return { id, ticketId, at, type: event.type, data: event.data };
  }
}

/**
 * Reads one row of the event log, on every path that delivers it (the process's log
 * reader and every replay). A row whose payload does not match the contract is
 * reported with its id and type and skipped (null): never delivered, and the stream
 * goes on after it.
 */
export function parseLoggedEvent(
  row: EventRow,
  report: (message: string, error: unknown) => void,
): LoggedEvent | null {
  const parsed = parseEvent({
    id: String(row.id),
    ticketId: row.ticketId,
    type: row.type,
    at: row.createdAt.toISOString(),
    version: row.payloadVersion,
    payload: row.payload,
  });
  if (!parsed.ok) {
    report(
      `skipped event ${row.id} (${row.type}): its payload does not match the contract`,
      new Error(parsed.reason),
    );
    return null;
  }
  return {
    cursor: row.id,
    customerId: row.customerId,
    audience: row.audience,
    event: toTicketEvent(parsed.event),
  };
}

/**
 * The audience rule, applied to every event on every path (live and replay): agents
 * see everything; a customer sees only events of their own tickets meant for all.
 */
export function mayReceive(
  viewer: Viewer,
  event: Pick<LoggedEvent, 'customerId' | 'audience'>,
): boolean {
  if (isAgent(viewer)) return true;
  return event.audience === 'all' && event.customerId === viewer.id;
}
