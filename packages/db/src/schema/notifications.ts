import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tickets } from './tickets';
import { users } from './users';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'date' });

/**
 * A durable reader's position in the event log, one row per consumer (`notify`).
 * `position` is an event id: ids are commit-ordered (migration 0001), so "every event
 * with id > position" never skips one that committed late. The row is locked
 * FOR UPDATE while a batch is planned, and moves in the same transaction.
 */
export const logCursors = pgTable('log_cursors', {
  name: text().primaryKey(),
  position: bigint({ mode: 'number' }).notNull().default(0),
  updatedAt: timestamptz().notNull().defaultNow(),
});

/**
 * A user's choice for one kind of notification on one channel. No row: the kind's
 * default (packages/api/src/notify/kinds.ts).
 */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    channel: text().notNull(),
    enabled: boolean().notNull(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.channel] })],
);

/**
 * Every email Parley rendered, sent or not: `kept` when no SMTP server is configured
 * (shown to admins), `pending` while being handed to SMTP, `sent`, or `failed` after
 * the last retry. One row per idempotency key (event, recipient, channel).
 */
export const outgoingMail = pgTable(
  'outgoing_mail',
  {
    id: uuid().primaryKey().defaultRandom(),
    idempotencyKey: text().notNull(),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    ticketId: uuid().references(() => tickets.id, { onDelete: 'set null' }),
    kind: text().notNull(),
    toAddress: text().notNull(),
    subject: text().notNull(),
    html: text().notNull(),
    text: text().notNull(),
    /** Header name → value (Message-ID, In-Reply-To, References, List-Unsubscribe, …). */
    headers: jsonb().notNull().$type<Record<string, string>>(),
    status: text().notNull(),
    attempts: integer().notNull().default(0),
    error: text(),
    createdAt: timestamptz().notNull().defaultNow(),
    sentAt: timestamptz(),
  },
  (t) => [
    uniqueIndex('outgoing_mail_idempotency_key_key').on(t.idempotencyKey),
    index('outgoing_mail_created_idx').on(t.createdAt.desc(), t.id.desc()),
    // Inbound replies find the email they answer by its Message-ID (docs/email-in.md).
    index('outgoing_mail_message_id_idx').on(sql`(${t.headers}->>'Message-ID')`),
  ],
);

/** Secrets the server signs links with (`unsubscribe`), made once per database. */
export const signingKeys = pgTable('signing_keys', {
  name: text().primaryKey(),
  secret: text()
    .notNull()
    .default(sql`replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`),
});

export type OutgoingMailRow = typeof outgoingMail.$inferSelect;
export type NotificationPreferenceRow = typeof notificationPreferences.$inferSelect;

/**
 * A user's mobile number for SMS notifications (one per user), proven by a 6-digit code
 * sent to it. Only the code's HMAC is kept, with its expiry and the wrong tries made
 * against it; a verified number has `verifiedAt` and no code. Whether the number replied
 * STOP lives with the SMS channel's opt-outs (`channel_opt_outs`).
 */
export const notificationPhones = pgTable('notification_phones', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** E.164 (`+14155550123`). */
  phone: text().notNull(),
  verifiedAt: timestamptz(),
  codeHash: text(),
  codeExpiresAt: timestamptz(),
  codeAttempts: integer().notNull().default(0),
  codeSentAt: timestamptz(),
  createdAt: timestamptz().notNull().defaultNow(),
});

/**
 * Every notification SMS Parley rendered: `pending` until Twilio took it, then `sent`,
 * or `failed` (a permanent refusal, the number replied STOP, the last retry). One row per
 * idempotency key (event, recipient, channel): a retried job never sends what was sent.
 */
export const outgoingSms = pgTable(
  'outgoing_sms',
  {
    id: uuid().primaryKey().defaultRandom(),
    idempotencyKey: text().notNull(),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    ticketId: uuid().references(() => tickets.id, { onDelete: 'set null' }),
    kind: text().notNull(),
    toPhone: text().notNull(),
    body: text().notNull(),
    status: text().notNull(),
    attempts: integer().notNull().default(0),
    error: text(),
    providerMessageId: text(),
    createdAt: timestamptz().notNull().defaultNow(),
    sentAt: timestamptz(),
  },
  (t) => [uniqueIndex('outgoing_sms_idempotency_key_key').on(t.idempotencyKey)],
);

export type NotificationPhoneRow = typeof notificationPhones.$inferSelect;
export type OutgoingSmsRow = typeof outgoingSms.$inferSelect;
