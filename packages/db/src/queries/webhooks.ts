import { and, arrayOverlaps, asc, desc, eq, gt, notLike, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  events,
  users,
  webhookDeliveries,
  webhookEndpoints,
  type EventRow,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '../schema';

export type NewWebhookEndpoint = {
  url: string;
  description: string;
  events: string[];
  secret: string;
  allowPrivateNetwork: boolean;
};

export async function insertWebhookEndpoint(
  db: DbOrTx,
  endpoint: NewWebhookEndpoint,
): Promise<WebhookEndpointRow> {
  const [row] = await db.insert(webhookEndpoints).values(endpoint).returning();
  if (!row) throw new Error('webhook endpoint insert returned nothing');
  return row;
}

/** Endpoints whose stored secret does not start with `sealedPrefix` (stored before sealing). */
export async function unsealedWebhookSecrets(
  db: DbOrTx,
  sealedPrefix: string,
): Promise<{ id: string; secret: string }[]> {
  return db
    .select({ id: webhookEndpoints.id, secret: webhookEndpoints.secret })
    .from(webhookEndpoints)
    .where(notLike(webhookEndpoints.secret, `${sealedPrefix}%`));
}

/** Replaces an endpoint's stored secret `from` with `to` (no change if another did it). */
export async function replaceWebhookSecret(
  db: DbOrTx,
  change: { id: string; from: string; to: string },
): Promise<void> {
  await db
    .update(webhookEndpoints)
    .set({ secret: change.to })
    .where(and(eq(webhookEndpoints.id, change.id), eq(webhookEndpoints.secret, change.from)));
}

export async function listWebhookEndpoints(db: DbOrTx): Promise<WebhookEndpointRow[]> {
  return db.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.createdAt));
}

export async function getWebhookEndpoint(
  db: DbOrTx,
  id: string,
): Promise<WebhookEndpointRow | null> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
  return row ?? null;
}

/** Changes an endpoint; switching it on again clears the failure count and reason. */
export async function updateWebhookEndpoint(
  db: DbOrTx,
  params: {
    id: string;
    changes: Partial<
      Pick<WebhookEndpointRow, 'url' | 'description' | 'events' | 'enabled' | 'allowPrivateNetwork'>
    >;
  },
): Promise<WebhookEndpointRow | null> {
  const { changes } = params;
  const [row] = await db
    .update(webhookEndpoints)
    .set({
      ...changes,
      ...(changes.enabled !== undefined ? { disabledReason: null } : {}),
      ...(changes.enabled ? { consecutiveFailures: 0 } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(webhookEndpoints.id, params.id))
    .returning();
  return row ?? null;
}

export async function deleteWebhookEndpoint(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db
    .delete(webhookEndpoints)
    .where(eq(webhookEndpoints.id, id))
    .returning({ id: webhookEndpoints.id });
  return rows.length > 0;
}

/** Enabled endpoints subscribed to any of `types`. */
export async function endpointsSubscribedTo(
  db: DbOrTx,
  types: string[],
): Promise<Array<Pick<WebhookEndpointRow, 'id' | 'events'>>> {
  if (types.length === 0) return [];
  return db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.enabled, true), arrayOverlaps(webhookEndpoints.events, types)));
}

/**
 * The delivery of (endpoint, event), made now or found: there is never a second one.
 * `created` says which, so only a new delivery gets its first job.
 */
export async function upsertWebhookDelivery(
  db: DbOrTx,
  params: { endpointId: string; eventId: number; eventType: string },
): Promise<{ delivery: WebhookDeliveryRow; created: boolean }> {
  const [inserted] = await db
    .insert(webhookDeliveries)
    .values({ ...params, nextAttemptAt: sql`now()` })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { delivery: inserted, created: true };
  const [found] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, params.endpointId),
        eq(webhookDeliveries.eventId, params.eventId),
      ),
    );
  if (!found) throw new Error('webhook delivery vanished');
  return { delivery: found, created: false };
}

/** A delivery with what its request needs: the endpoint and the logged event. */
export async function webhookDeliveryToSend(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ delivery: webhookDeliveries, endpoint: webhookEndpoints, event: events })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.id, id));
  return row ?? null;
}

export async function getWebhookDelivery(
  db: DbOrTx,
  id: string,
): Promise<WebhookDeliveryRow | null> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row ?? null;
}

/** Records one attempt's outcome (the caller computed status and next attempt). */
export async function recordWebhookAttempt(
  db: DbOrTx,
  params: {
    id: string;
    status: 'pending' | 'succeeded' | 'failed';
    statusCode: number | null;
    durationMs: number;
    response: string | null;
    error: string | null;
    nextAttemptAt: Date | null;
  },
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({
      status: params.status,
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastStatusCode: params.statusCode,
      lastDurationMs: params.durationMs,
      lastResponse: params.response,
      lastError: params.error,
      lastAttemptAt: sql`now()`,
      nextAttemptAt: params.nextAttemptAt,
    })
    .where(eq(webhookDeliveries.id, params.id));
}

/** Stops a pending delivery without an attempt (its endpoint was switched off). */
export async function parkWebhookDelivery(
  db: DbOrTx,
  params: { id: string; error: string },
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: 'failed', lastError: params.error, nextAttemptAt: null })
    .where(and(eq(webhookDeliveries.id, params.id), eq(webhookDeliveries.status, 'pending')));
}

/** Marks a delivery to be tried again now (redeliver, replay). */
export async function rearmWebhookDelivery(db: DbOrTx, id: string): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set({ status: 'pending', nextAttemptAt: sql`now()` })
    .where(eq(webhookDeliveries.id, id));
}

/**
 * Counts a delivery that failed for good against its endpoint, and switches the endpoint
 * off once `disableAfter` deliveries in a row failed. Returns the endpoint when this call
 * switched it off (so the admins are told once).
 */
export async function countWebhookFailure(
  db: DbOrTx,
  params: { endpointId: string; disableAfter: number; reason: string },
): Promise<WebhookEndpointRow | null> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
    .where(eq(webhookEndpoints.id, params.endpointId))
    .returning();
  if (!row || !row.enabled || row.consecutiveFailures < params.disableAfter) return null;
  const [off] = await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: params.reason, updatedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.id, params.endpointId), eq(webhookEndpoints.enabled, true)))
    .returning();
  return off ?? null;
}

export async function resetWebhookFailures(db: DbOrTx, endpointId: string): Promise<void> {
  await db
    .update(webhookEndpoints)
    .set({ consecutiveFailures: 0 })
    .where(and(eq(webhookEndpoints.id, endpointId), gt(webhookEndpoints.consecutiveFailures, 0)));
}

/** An endpoint's deliveries, newest first, keyset-paged on (created_at, id). */
export async function listWebhookDeliveries(
  db: DbOrTx,
  params: { endpointId: string; limit: number; before: { createdAt: Date; id: string } | null },
): Promise<WebhookDeliveryRow[]> {
  const createdMs = sql`date_trunc('milliseconds', ${webhookDeliveries.createdAt})`;
  const { before } = params;
  return db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, params.endpointId),
        before
          ? sql`(${createdMs}, ${webhookDeliveries.id}) < (${before.createdAt.toISOString()}::timestamptz, ${before.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(createdMs), desc(webhookDeliveries.id))
    .limit(params.limit);
}

/** Logged events from `fromId` on (inclusive), in id (= commit) order: a replay's batch. */
export async function readLogFrom(
  db: DbOrTx,
  params: { fromId: number; limit: number },
): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(sql`${events.id} >= ${params.fromId}`)
    .orderBy(asc(events.id))
    .limit(params.limit);
}

/** Active admins (told when an endpoint is switched off). */
export async function activeAdminIds(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), sql`${users.disabledAt} is null`));
  return rows.map((r) => r.id);
}
