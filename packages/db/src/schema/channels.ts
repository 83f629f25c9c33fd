import { sql } from 'drizzle-orm';
import {
  check,
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
import { channelEnum } from './enums';
import { messages, tickets } from './tickets';
import { users } from './users';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'date' });

/**
 * A message that went over a messaging channel (WhatsApp, SMS), either way: the
 * provider's id (a retried webhook names it again; status callbacks name it) and, for
 * Parley's own messages, how far delivery got. One Parley message may need several
 * provider messages, its parts (a long text split, a file after a text): each is recorded
 * as soon as the provider took it, so that a retried send skips it.
 */
export const channelMessages = pgTable(
  'channel_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    ticketId: uuid()
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** The Parley message it carried (null: a closing message or one not stored yet). */
    messageId: uuid().references(() => messages.id, { onDelete: 'cascade' }),
    channel: channelEnum().notNull(),
    /** `in` from the contact, `out` from Parley. */
    direction: text().notNull(),
    providerMessageId: text().notNull(),
    /** `received` (in); `sent`, `delivered`, `read` or `failed` (out). */
    status: text().notNull(),
    /** The provider's reason when `failed`. */
    error: text(),
    /**
     * While Parley's message is still being sent (a later part failed, the job will try
     * again): this part's index in the send, 0-based; a retry skips the parts recorded.
     * Null once the send has finished (sent or given up), and on every other row.
     */
    pendingPart: integer(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('channel_messages_provider_key').on(t.channel, t.providerMessageId),
    index('channel_messages_message_idx').on(t.messageId),
    uniqueIndex('channel_messages_pending_part_key')
      .on(t.messageId, t.pendingPart)
      .where(sql`${t.pendingPart} is not null`),
    index('channel_messages_ticket_in_idx')
      .on(t.ticketId, t.createdAt.desc())
      .where(sql`${t.direction} = 'in'`),
  ],
);

/** Addresses that asked a channel to stop (SMS STOP); START removes the row. */
export const channelOptOuts = pgTable(
  'channel_opt_outs',
  {
    channel: channelEnum().notNull(),
    /** E.164. */
    address: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.address] })],
);

/**
 * A messaging channel's provider settings as an admin saved them (they replace the
 * environment's for that channel), and the conversation settings of both channels (the
 * bot, the closing message, the reopen window). Secrets inside are sealed (`sealed:v1:…`)
 * under the server's secret key; the browser never gets them back.
 */
export const channelSettings = pgTable(
  'channel_settings',
  {
    /** `whatsapp`, `sms`, `conversations` (both channels' conversation settings) or `email`. */
    channel: text().primaryKey(),
    settings: jsonb().notNull(),
    updatedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    check(
      'channel_settings_channel_check',
      sql`${t.channel} in ('whatsapp', 'sms', 'conversations', 'email')`,
    ),
  ],
);

export type ChannelMessageRow = typeof channelMessages.$inferSelect;
