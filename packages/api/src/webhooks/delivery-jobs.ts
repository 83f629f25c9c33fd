import { enqueueJob, type DbOrTx } from '@parley/db';

/** The graphile-worker task that makes one attempt of one webhook delivery. */
export const deliverWebhookTask = 'webhook-deliver';

/**
 * One attempt to make: `attempt` is how many attempts the delivery had when the job was
 * queued (a job that finds another count is stale and does nothing), `step` its place in
 * the retry schedule (0 for a first try, a redelivery or a replay).
 */
export type WebhookJob = { deliveryId: string; attempt: number; step: number };

/**
 * Queues an attempt in the caller's transaction. Every endpoint has its own queue, so
 * its deliveries go one at a time and in event order (a replay arrives in order) and a
 * slow endpoint holds up nobody else's.
 */
export async function queueWebhookAttempt(
  tx: DbOrTx,
  params: WebhookJob & { endpointId: string; runAt: Date | null; reason?: string },
): Promise<void> {
  const { deliveryId, attempt, step } = params;
  await enqueueJob(tx, {
    task: deliverWebhookTask,
    payload: { deliveryId, attempt, step } satisfies WebhookJob,
    jobKey: `webhook:${deliveryId}:${attempt}${params.reason ? `:${params.reason}` : ''}`,
    runAt: params.runAt,
    // HTTP failures are retried on the schedule by the job itself; graphile-worker's own
    // retries only cover a job that crashed before it recorded its attempt.
    maxAttempts: 3,
    queueName: `webhooks:${params.endpointId}`,
  });
}
