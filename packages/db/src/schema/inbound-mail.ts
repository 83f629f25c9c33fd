import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { messages, tickets } from './tickets';
import { users } from './users';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'date' });

/**
 * Every mail Parley's SMTP listener accepted (docs/email-in.md), whatever became of it:
 * `processing` while it is being worked on, then `ticket_created`, `joined` (a reply
 * added to its ticket), `dropped` (an auto-reply or bounce: no ticket, no notification),
 * `rejected` (e.g. a customer's address failing SPF/DKIM) or `failed` (the sender is
 * told to try again; a re-delivery takes the row over). One row per Message-ID: a
 * re-delivered mail finds its row and adds nothing.
 */
export const inboundMail = pgTable(
  'inbound_mail',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The Message-ID header, or `<sha256-of-the-mail@parley.invalid>` for a mail without one. */
    messageId: text().notNull(),
    /** The envelope's MAIL FROM ('' for a bounce's empty return path). */
    returnPath: text().notNull(),
    /** The From header's address, lower-cased ('' when there is none). */
    fromAddress: text().notNull(),
    /** The envelope's recipients (the support address, `reply+…@…`). */
    recipients: text().array().notNull(),
    subject: text().notNull(),
    /** In-Reply-To and References, in that order: the thread the mail answers. */
    threadIds: text().array().notNull(),
    /** From the topmost `Authentication-Results` header: `pass`, `fail`, `none`, … or null. */
    spf: text(),
    dkim: text(),
    dmarc: text(),
    /** That header as received. */
    authenticationResults: text(),
    size: integer().notNull(),
    status: text().notNull(),
    /** Why it was dropped, rejected or failed, or how it was threaded. */
    reason: text(),
    contactId: uuid().references(() => users.id, { onDelete: 'set null' }),
    ticketId: uuid().references(() => tickets.id, { onDelete: 'set null' }),
    /** The message it added to a ticket (null for a new ticket's description). */
    messageRowId: uuid().references(() => messages.id, { onDelete: 'set null' }),
    receivedAt: timestamptz().notNull().defaultNow(),
    processedAt: timestamptz(),
  },
  (t) => [
    uniqueIndex('inbound_mail_message_id_key').on(t.messageId),
    index('inbound_mail_received_idx').on(t.receivedAt.desc(), t.id.desc()),
    index('inbound_mail_ticket_idx').on(t.ticketId),
  ],
);

export type InboundMailRow = typeof inboundMail.$inferSelect;
export type NewInboundMail = typeof inboundMail.$inferInsert;
