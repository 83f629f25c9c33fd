import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { messages, tickets } from './tickets';
import { guestSessions } from './widgets';
import { users } from './users';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'date' });
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * An uploaded file. Pending while `ticket_id` is null (uploaded, not yet sent); a
 * message claims it (`message_id` and `ticket_id`), or a new ticket for its description
 * (`ticket_id` only). Its bytes live in the file storage under `id` (and a thumbnail
 * under `<id>.thumb`), never in this row.
 */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid().primaryKey().defaultRandom(),
    uploaderId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    /** Sniffed from the bytes; `application/octet-stream` when unknown or executable. */
    contentType: text().notNull(),
    width: integer(),
    height: integer(),
    sha256: text().notNull(),
    hasThumbnail: boolean().notNull().default(false),
    /**
     * A chat-widget guest's upload: the guest session it came from. While pending, only
     * that session may send or fetch it (not the contact's other sessions or portal login).
     */
    guestSessionId: text().references(() => guestSessions.id, { onDelete: 'set null' }),
    ticketId: uuid().references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid().references(() => messages.id, { onDelete: 'cascade' }),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    index('attachments_message_idx').on(t.messageId),
    index('attachments_ticket_idx').on(t.ticketId),
    // The sweep of expired pending uploads.
    index('attachments_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.ticketId} is null`),
  ],
);

/**
 * The PostgreSQL file storage: each stored file as numbered chunks of a fixed size, so
 * files stream in and out a chunk at a time and a range read touches only its chunks.
 */
export const fileChunks = pgTable(
  'file_chunks',
  {
    key: text().notNull(),
    n: integer().notNull(),
    data: bytea().notNull(),
  },
  (t) => [primaryKey({ columns: [t.key, t.n] })],
);

export type AttachmentRow = typeof attachments.$inferSelect;

/**
 * Files to forget: a trigger adds an attachment's keys (`<id>`, `<id>.thumb`) whenever
 * its row goes, however it goes (a ticket's data deleted, a user deleted, the sweep),
 * and the server's sweep deletes them from the file storage — the directory (or any
 * other) driver included — then the row here.
 */
export const fileDeletions = pgTable('file_deletions', {
  key: text().primaryKey(),
  createdAt: timestamptz().notNull().defaultNow(),
});
