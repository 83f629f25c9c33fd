import type { Task } from 'graphile-worker';
import { Webhook } from 'standardwebhooks';
import {
  activeAdminIds,
  countWebhookFailure,
  parkWebhookDelivery,
  recordWebhookAttempt,
  resetWebhookFailures,
  webhookDeliveryToSend,
  type Db,
} from '@parley/db';
import { queueAccountEmail } from '../accounts/account-mail';
import type { NotifySettings } from '../notify/settings';
import { parseLoggedEvent } from '../realtime/events';
import { SecretKeyMismatch, type SecretBox } from '../secrets';
import { retryDelaySeconds } from './retry-schedule';
import { postWebhook, type PostResult } from './post-webhook';
import { resolveWebhookTarget, TargetRefused } from './target';
import type { WebhookJob } from './delivery-jobs';
import { queueWebhookAttempt } from './delivery-jobs';
import { webhookBody, webhookMessageId } from './webhook-events';

type Deps = {
  db: Db;
  settings: NotifySettings;
  secrets: SecretBox;
  onError: (m: string, e: unknown) => void;
};

/**
 * One attempt of one delivery: resolve and check the target, sign, POST, and record the
 * outcome in one transaction with what follows (the next attempt on the schedule, or
 * the failure count of the endpoint and, when that switches it off, an email to every
 * admin). A 2xx answer is a success; anything else, or no answer, is retried.
 */
export function createDeliverWebhookTask(deps: Deps): Task {
  const { db, settings } = deps;
  return async (payload) => {
    const job = payload as WebhookJob;
    const found = await webhookDeliveryToSend(db, job.deliveryId);
    if (!found) return; // the endpoint was deleted
    const { delivery, endpoint, event } = found;
    if (delivery.status !== 'pending' || delivery.attempts !== job.attempt) return; // stale
    if (!endpoint.enabled) {
      // Switched off: no more attempts; a redelivery or a replay sends it once it is on.
      await parkWebhookDelivery(db, { id: delivery.id, error: 'The endpoint is switched off' });
      return;
    }
    const logged = parseLoggedEvent(event, deps.onError);
    if (!logged) return;

    const body = webhookBody(logged);
    let result: PostResult;
    try {
      const target = await resolveWebhookTarget(endpoint.url, {
        allowPrivateNetwork: endpoint.allowPrivateNetwork,
      });
      const id = webhookMessageId(delivery.id);
      const now = new Date();
      const signature = new Webhook(deps.secrets.open(endpoint.secret)).sign(id, now, body);
      result = await postWebhook(
        target,
        {
          headers: {
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signature,
            'parley-event-id': String(logged.cursor),
            'parley-ticket-id': logged.event.ticketId,
            'parley-payload-version': String(event.payloadVersion),
          },
          body,
        },
        settings.webhookLimits,
      );
    } catch (error) {
      // A refused target, or a secret this server's key cannot open: a failed attempt the
      // delivery log shows, retried on the schedule like any other.
      if (!(error instanceof TargetRefused || error instanceof SecretKeyMismatch)) throw error;
      result = { statusCode: null, durationMs: 0, response: null, error: error.message };
    }

    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const delay = ok ? null : retryDelaySeconds(job.step + 1, settings.webhookRetryBaseSeconds);
    const nextAt = delay === null ? null : new Date(Date.now() + delay * 1000);
    await db.transaction(async (tx) => {
      await recordWebhookAttempt(tx, {
        id: delivery.id,
        status: ok ? 'succeeded' : nextAt ? 'pending' : 'failed',
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        response: result.response,
        error: result.error ?? (ok ? null : `HTTP ${result.statusCode ?? '-'}`),
        nextAttemptAt: nextAt,
      });
      if (ok) return resetWebhookFailures(tx, endpoint.id);
      if (nextAt) {
        return queueWebhookAttempt(tx, {
          deliveryId: delivery.id,
          endpointId: endpoint.id,
          attempt: job.attempt + 1,
          step: job.step + 1,
          runAt: nextAt,
        });
      }
      const off = await countWebhookFailure(tx, {
        endpointId: endpoint.id,
        disableAfter: settings.webhookDisableAfter,
        reason: `${settings.webhookDisableAfter} deliveries in a row failed after every retry`,
      });
      if (!off) return;
      const at = off.updatedAt.toISOString();
      for (const userId of await activeAdminIds(tx)) {
        await queueAccountEmail(tx, {
          kind: 'webhook_disabled',
          userId,
          endpointId: off.id,
          url: off.url,
          at,
        });
      }
    });
  };
}
