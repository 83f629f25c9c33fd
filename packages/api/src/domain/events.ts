import { encodeEventPayload, type EventDataMap, type EventType } from '@parley/contract';
import type { EventAudience, NewEvent } from '@parley/db';
import type { Message } from './messages';
import type { TicketSummary } from './tickets';

/**
 * `data` of a `ticket.updated` event: only the fields that changed, with their new
 * values, and the ticket's new `updatedAt`.
 */
export type TicketUpdatedData = EventDataMap['ticket.updated'];

/**
 * `data` of each logged event type as subscribers receive it: the contract's payload
 * (`EventDataMap` of @parley/contract, what the log stores), with the API's own types
 * where an event carries one (`toTicketEvent` maps between them).
 */
export type TicketEventData = Omit<EventDataMap, 'ticket.created' | 'message.created'> & {
  'ticket.created': TicketSummary;
  'message.created': Message;
};

/**
 * `TicketEvent` with `data` typed by `type` (a discriminated union): one
 * logged change as subscriptions yield it. `id` is the commit-ordered event id as a
 * decimal string (the `tracked()` id, and `lastEventId`).
 */
export type TypedTicketEvent = {
  [T in EventType]: {
    id: string;
    ticketId: string;
    type: T;
    at: string;
    data: TicketEventData[T];
  };
}[EventType];

/** A row for the event log, its payload in the contract's current version. */
export function ticketEvent<T extends EventType>(
  ticket: { id: string; customerId: string },
  type: T,
  data: EventDataMap[T],
  audience: EventAudience = 'all',
): NewEvent {
  const { payload, version } = encodeEventPayload(type, data);
  return {
    ticketId: ticket.id,
    customerId: ticket.customerId,
    type,
    audience,
    payload,
    payloadVersion: version,
  };
}
