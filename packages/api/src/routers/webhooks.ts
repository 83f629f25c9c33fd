import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  insertWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  updateWebhookEndpoint,
} from '@parley/db';
import { z } from 'zod';
import { AppError } from '../errors';
import { adminProcedure, router } from '../trpc';
import { uuid } from '../validation';
import {
  createdWebhookOutput,
  createWebhookInput,
  endpointIdInput,
  listDeliveriesInput,
  newWebhookSecret,
  redeliverInput,
  replayInput,
  toWebhookDelivery,
  toWebhookEndpoint,
  updateWebhookInput,
  webhookDeliveryOutput,
  webhookEndpointOutput,
} from '../webhooks/endpoint-io';
import { redeliverWebhook, replayWebhooks } from '../webhooks/replay';
import { resolveWebhookTarget, TargetRefused } from '../webhooks/target';

/** The URL must be http(s) and, unless allowed, resolve outside private networks. */
async function checkTarget(url: string, allowPrivateNetwork: boolean): Promise<void> {
  try {
    await resolveWebhookTarget(url, { allowPrivateNetwork });
  } catch (error) {
    if (!(error instanceof TargetRefused)) throw error;
    throw new AppError('BAD_REQUEST', error.message, { fieldErrors: { url: [error.message] } });
  }
}

/** `<createdAt ISO>_<id>` of the last row of a page. */
function readCursor(cursor: string): { createdAt: Date; id: string } {
  const [at = '', id = ''] = cursor.split('_');
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || !uuid.safeParse(id).success) {
    throw new AppError('BAD_REQUEST', 'Invalid cursor');
  }
  return { createdAt, id };
}

const notFound = () => new AppError('NOT_FOUND', 'Webhook endpoint not found');

/** Admins register the endpoints of other apps that receive signed webhooks (README). */
export const webhooksRouter = router({
  list: adminProcedure
    .output(z.array(webhookEndpointOutput))
    .query(async ({ ctx }) => (await listWebhookEndpoints(ctx.db)).map(toWebhookEndpoint)),

  /** Returns the signing `secret` this once; it is never shown again. */
  create: adminProcedure
    .input(createWebhookInput)
    .output(createdWebhookOutput)
    .mutation(async ({ ctx, input }) => {
      const allowPrivateNetwork = input.allowPrivateNetwork ?? false;
      await checkTarget(input.url, allowPrivateNetwork);
      const secret = newWebhookSecret();
      const row = await insertWebhookEndpoint(ctx.db, {
        url: input.url,
        description: input.description ?? '',
        events: [...new Set(input.events)],
        secret: ctx.secrets.seal(secret), // stored sealed, shown this once
        allowPrivateNetwork,
      });
      return { ...toWebhookEndpoint(row), secret };
    }),

  /** Changes an endpoint; `enabled: true` switches on one Parley switched off. */
  update: adminProcedure
    .input(updateWebhookInput)
    .output(webhookEndpointOutput)
    .mutation(async ({ ctx, input }) => {
      const { endpointId, ...changes } = input;
      const current = await getWebhookEndpoint(ctx.db, endpointId);
      if (!current) throw notFound();
      if (changes.url !== undefined || changes.allowPrivateNetwork !== undefined) {
        await checkTarget(
          changes.url ?? current.url,
          changes.allowPrivateNetwork ?? current.allowPrivateNetwork,
        );
      }
      const row = await updateWebhookEndpoint(ctx.db, {
        id: endpointId,
        changes: {
          ...changes,
          ...(changes.events ? { events: [...new Set(changes.events)] } : {}),
        },
      });
      if (!row) throw notFound();
      return toWebhookEndpoint(row);
    }),

  /** Deletes an endpoint and its delivery log; queued attempts find nothing to send. */
  delete: adminProcedure
    .input(endpointIdInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await deleteWebhookEndpoint(ctx.db, input.endpointId))) throw notFound();
      return { ok: true as const };
    }),

  /** The delivery log of an endpoint, newest first. */
  deliveries: adminProcedure
    .input(listDeliveriesInput)
    .output(z.object({ items: z.array(webhookDeliveryOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      if (!(await getWebhookEndpoint(ctx.db, input.endpointId))) throw notFound();
      const limit = input.limit ?? 20;
      const rows = await listWebhookDeliveries(ctx.db, {
        endpointId: input.endpointId,
        limit: limit + 1,
        before: input.cursor ? readCursor(input.cursor) : null,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toWebhookDelivery),
        nextCursor:
          rows.length > limit && last ? `${last.createdAt.toISOString()}_${last.id}` : null,
      };
    }),

  /** Sends one delivery again now, with the same `webhook-id`. */
  redeliver: adminProcedure
    .input(redeliverInput)
    .output(webhookDeliveryOutput)
    .mutation(async ({ ctx, input }) =>
      toWebhookDelivery(await redeliverWebhook(ctx.db, input.deliveryId)),
    ),

  /**
   * Sends again, in order, every event from `fromEventId` on that the endpoint subscribes
   * to (up to 1000 events of the log per call; `nextEventId` continues).
   */
  replay: adminProcedure
    .input(replayInput)
    .output(z.object({ queued: z.number(), nextEventId: z.number().nullable() }))
    .mutation(({ ctx, input }) => replayWebhooks(ctx.db, input, () => {})),
});
