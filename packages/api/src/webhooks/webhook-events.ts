import { eventTypes, type EventType } from '@parley/contract';
import type { LoggedEvent } from '../realtime/events';

/**
 * The event types an endpoint can subscribe to: every logged type, and `note.created`
 * for internal notes. A note is never sent as `message.created`; and every event meant
 * for agents only (a note, an agent's read receipt) reaches only endpoints that
 * subscribed to `note.created` explicitly. `message.delivery` is agents-only in the app
 * (customers do not see their messages' provider statuses) but says nothing of notes:
 * subscribing to it is enough.
 */
export const webhookEventTypes = [...eventTypes, 'note.created'] as const;
export type WebhookEventType = EventType | 'note.created';

/** The webhook type of a logged event. */
export function webhookTypeOf(logged: LoggedEvent): WebhookEventType {
  const { event } = logged;
  if (event.type === 'message.created' && event.data.internal) return 'note.created';
  return event.type;
}

/** Whether an endpoint subscribed to `events` receives a logged event. */
export function endpointWants(events: readonly string[], logged: LoggedEvent): boolean {
  if (!events.includes(webhookTypeOf(logged))) return false;
  return (
    logged.audience === 'all' ||
    logged.event.type === 'message.delivery' ||
    events.includes('note.created')
  );
}

/**
 * The body of the request (Standard Webhooks' `{ type, timestamp, data }`): `data` is the
 * event's payload as the contract parsed it (its version is in the `parley-payload-version`
 * header), `timestamp` when it was logged. Built from the log at every attempt, the same
 * bytes each time.
 */
export function webhookBody(logged: LoggedEvent): string {
  return JSON.stringify({
    type: webhookTypeOf(logged),
    timestamp: logged.event.at,
    data: logged.event.data,
  });
}

/** The `webhook-id` of a delivery: the same for every attempt, redelivery and replay. */
export const webhookMessageId = (deliveryId: string) => `msg_${deliveryId}`;
