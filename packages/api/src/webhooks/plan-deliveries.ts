import {
  endpointsSubscribedTo,
  rearmWebhookDelivery,
  upsertWebhookDelivery,
  type DbOrTx,
  type EventRow,
} from '@parley/db';
import { parseLoggedEvent, type LoggedEvent } from '../realtime/events';
import { queueWebhookAttempt } from './delivery-jobs';
import { endpointWants, webhookTypeOf } from './webhook-events';

/** The webhooks' cursor row in `log_cursors`. */
export const webhooksCursor = 'webhooks';

/**
 * The webhook side of the delivery engine's pass (same transaction as the cursor move):
 * one delivery, and its first attempt, per (event, subscribed endpoint). A delivery that
 * already exists is left alone, so a pass that runs twice sends nothing twice.
 */
export async function planWebhookDeliveries(
  tx: DbOrTx,
  rows: EventRow[],
  onError: (message: string, error: unknown) => void,
): Promise<void> {
  const logged = rows.flatMap((row) => parseLoggedEvent(row, onError) ?? []);
  if (logged.length === 0) return;
  const types = [...new Set(logged.map(webhookTypeOf))];
  const endpoints = await endpointsSubscribedTo(tx, types);
  for (const event of logged) {
    for (const endpoint of endpoints) {
      if (!endpointWants(endpoint.events, event)) continue;
      await sendOnce(tx, endpoint.id, event, false);
    }
  }
}

/**
 * Makes (or, with `again`, re-arms) the delivery of one event to one endpoint and queues
 * an attempt. The delivery keeps its id, so the receiver sees the same `webhook-id`.
 */
export async function sendOnce(
  tx: DbOrTx,
  endpointId: string,
  event: LoggedEvent,
  again: boolean,
): Promise<void> {
  const { delivery, created } = await upsertWebhookDelivery(tx, {
    endpointId,
    eventId: event.cursor,
    eventType: webhookTypeOf(event),
  });
  if (!created && !again) return;
  if (!created) await rearmWebhookDelivery(tx, delivery.id);
  await queueWebhookAttempt(tx, {
    deliveryId: delivery.id,
    endpointId,
    attempt: delivery.attempts,
    step: 0,
    runAt: null,
    ...(created ? {} : { reason: 'again' }),
  });
}
