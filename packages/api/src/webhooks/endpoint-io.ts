import { randomBytes } from 'node:crypto';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '@parley/db';
import { z } from 'zod';
import { text, uuid } from '../validation';
import { webhookEventTypes, webhookMessageId } from './webhook-events';

const url = text(1, 2000);
const events = z.array(z.enum(webhookEventTypes)).min(1, 'Choose at least one event').max(20);

export const createWebhookInput = z.strictObject({
  url,
  events,
  description: text(0, 200).optional(),
  /** Let the endpoint resolve to loopback, link-local or private addresses. */
  allowPrivateNetwork: z.boolean().optional(),
});

export const updateWebhookInput = z.strictObject({
  endpointId: uuid,
  url: url.optional(),
  events: events.optional(),
  description: text(0, 200).optional(),
  enabled: z.boolean().optional(),
  allowPrivateNetwork: z.boolean().optional(),
});

export const endpointIdInput = z.strictObject({ endpointId: uuid });

export const listDeliveriesInput = z.strictObject({
  endpointId: uuid,
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(100).nullish(),
  limit: z.number().int().min(1).max(100).optional(),
});

export const redeliverInput = z.strictObject({ deliveryId: uuid });

export const replayInput = z.strictObject({
  endpointId: uuid,
  /** The first event to send again (a `parley-event-id` the receiver saw). */
  fromEventId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

export const webhookEndpointOutput = z.object({
  id: uuid,
  url: z.string(),
  description: z.string(),
  events: z.array(z.string()),
  allowPrivateNetwork: z.boolean(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  consecutiveFailures: z.number(),
  createdAt: z.string(),
});

/** The secret is in an answer once: the one that created the endpoint. */
export const createdWebhookOutput = webhookEndpointOutput.extend({ secret: z.string() });

export const webhookDeliveryOutput = z.object({
  id: uuid,
  /** The `webhook-id` header the receiver sees (the same on every attempt). */
  messageId: z.string(),
  eventId: z.number(),
  eventType: z.string(),
  /** `pending`, `succeeded` or `failed`. */
  status: z.string(),
  attempts: z.number(),
  statusCode: z.number().nullable(),
  durationMs: z.number().nullable(),
  /** The first bytes of the receiver's last answer. */
  response: z.string().nullable(),
  error: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});

export const toWebhookEndpoint = (
  row: WebhookEndpointRow,
): z.output<typeof webhookEndpointOutput> => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: row.events,
  allowPrivateNetwork: row.allowPrivateNetwork,
  enabled: row.enabled,
  disabledReason: row.disabledReason,
  consecutiveFailures: row.consecutiveFailures,
  createdAt: row.createdAt.toISOString(),
});

export const toWebhookDelivery = (
  row: WebhookDeliveryRow,
): z.output<typeof webhookDeliveryOutput> => ({
  id: row.id,
  messageId: webhookMessageId(row.id),
  eventId: row.eventId,
  eventType: row.eventType,
  status: row.status,
  attempts: row.attempts,
  statusCode: row.lastStatusCode,
  durationMs: row.lastDurationMs,
  response: row.lastResponse,
  error: row.lastError,
  lastAttemptAt: row.lastAttemptAt?.toISOString() ?? null,
  nextAttemptAt: row.status === 'pending' ? (row.nextAttemptAt?.toISOString() ?? null) : null,
  createdAt: row.createdAt.toISOString(),
});

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
