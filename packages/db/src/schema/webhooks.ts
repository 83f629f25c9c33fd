import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'date' });

/**
 * An endpoint of another application that receives signed webhooks (Standard Webhooks).
 * `events` are the webhook event types it subscribed to; `secret` (`whsec_…`) signs
 * every request and is shown to the admin once, at creation. `allowPrivateNetwork`
 * lets it resolve to loopback, link-local or private addresses (refused otherwise).
 */
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid().primaryKey().defaultRandom(),
  url: text().notNull(),
  description: text().notNull().default(''),
  events: text()
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  secret: text().notNull(),
  allowPrivateNetwork: boolean().notNull().default(false),
  enabled: boolean().notNull().default(true),
  /** Why the endpoint was switched off by Parley (null: on, or switched off by an admin). */
  disabledReason: text(),
  /** Deliveries in a row that failed for good; a success sets it back to 0. */
  consecutiveFailures: integer().notNull().default(0),
  createdAt: timestamptz().notNull().defaultNow(),
  updatedAt: timestamptz().notNull().defaultNow(),
});

/**
 * One message to one endpoint about one logged event: at most one per (endpoint, event),
 * whatever retries, redeliveries or replays happen; its id is the `webhook-id` header,
 * so receivers dedupe on it. The columns `last_*` describe the latest attempt.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    endpointId: uuid()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: bigint({ mode: 'number' }).notNull(),
    /** The webhook event type sent (`message.created`, `note.created`, …). */
    eventType: text().notNull(),
    /** `pending` (being tried or waiting for a retry), `succeeded` or `failed`. */
    status: text().notNull().default('pending'),
    attempts: integer().notNull().default(0),
    lastStatusCode: integer(),
    lastDurationMs: integer(),
    /** The first bytes of the latest response body (bounded). */
    lastResponse: text(),
    lastError: text(),
    lastAttemptAt: timestamptz(),
    nextAttemptAt: timestamptz(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_endpoint_event_key').on(t.endpointId, t.eventId),
    index('webhook_deliveries_endpoint_created_idx').on(
      t.endpointId,
      t.createdAt.desc(),
      t.id.desc(),
    ),
  ],
);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
