import {
  getWebhookDelivery,
  getWebhookEndpoint,
  readLogFrom,
  type Db,
  type WebhookDeliveryRow,
} from '@parley/db';
import { AppError } from '../errors';
import { parseLoggedEvent } from '../realtime/events';
import { sendOnce } from './plan-deliveries';
import { endpointWants } from './webhook-events';

/** Events one replay call goes through; the answer says where to continue. */
export const replayBatch = 1000;

/**
 * Sends an endpoint again every event from `fromEventId` on that it subscribes to, in
 * order (its queue sends one at a time): a delivery that exists keeps its id, so the
 * receiver can dedupe on `webhook-id`. One call covers at most `replayBatch` events of
 * the log; `nextEventId` is where the next call starts (null: up to date).
 */
export async function replayWebhooks(
  db: Db,
  params: { endpointId: string; fromEventId: number },
  onError: (message: string, error: unknown) => void,
): Promise<{ queued: number; nextEventId: number | null }> {
  return db.transaction(async (tx) => {
    const endpoint = await getWebhookEndpoint(tx, params.endpointId);
    if (!endpoint) throw new AppError('NOT_FOUND', 'Webhook endpoint not found');
    const rows = await readLogFrom(tx, { fromId: params.fromEventId, limit: replayBatch });
    let queued = 0;
    for (const row of rows) {
      const logged = parseLoggedEvent(row, onError);
      if (!logged || !endpointWants(endpoint.events, logged)) continue;
      await sendOnce(tx, endpoint.id, logged, true);
      queued += 1;
    }
    const last = rows.at(-1);
    return { queued, nextEventId: rows.length === replayBatch && last ? last.id + 1 : null };
  });
}

/** Sends one delivery again, now, under its own `webhook-id`. */
export async function redeliverWebhook(db: Db, deliveryId: string): Promise<WebhookDeliveryRow> {
  return db.transaction(async (tx) => {
    const delivery = await getWebhookDelivery(tx, deliveryId);
    if (!delivery) throw new AppError('NOT_FOUND', 'Delivery not found');
    const rows = await readLogFrom(tx, { fromId: delivery.eventId, limit: 1 });
    const row = rows[0];
    const logged = row && row.id === delivery.eventId ? parseLoggedEvent(row, () => {}) : null;
    if (!logged) throw new AppError('CONFLICT', 'The event of this delivery is gone');
    await sendOnce(tx, delivery.endpointId, logged, true);
    return (await getWebhookDelivery(tx, deliveryId)) ?? delivery;
  });
}
