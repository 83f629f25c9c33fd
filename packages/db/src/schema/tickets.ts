import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  bigint,
  jsonb,
} from 'drizzle-orm/pg-core';
import {
  authorRoleEnum,
  botStateEnum,
  categoryEnum,
  channelEnum,
  eventAudienceEnum,
  priorityEnum,
  statusEnum,
} from './enums';
import type { MessageMetadata } from '@parley/contract';
import { guestSessions, widgets } from './widgets';
import { users } from './users';

export const ticketNumberSeq = pgSequence('ticket_number_seq', { startWith: 1001 });

const timestamptz = () => timestamp({ withTimezone: true, mode: 'date' });

export const tickets = pgTable(
  'tickets',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Human-friendly, increasing ticket number ("#1042"). */
    number: integer()
      .notNull()
      .default(sql`nextval('ticket_number_seq')`),
    subject: text().notNull(),
    description: text().notNull(),
    category: categoryEnum().notNull().default('general'),
    priority: priorityEnum().notNull().default('medium'),
    status: statusEnum().notNull().default('open'),
    customerId: uuid()
      .notNull()
      .references(() => users.id),
    assigneeId: uuid().references(() => users.id),
    orderRef: text(),
    clientId: uuid(),
    createdAt: timestamptz().notNull().defaultNow(),
    /** Any change, internal notes included: the agents' "updated" (queue order). */
    updatedAt: timestamptz().notNull().defaultNow(),
    /**
     * Changes a customer can see (internal notes and their effects excluded): the
     * customer's "updated", so a ticket never moves in their list for a hidden reason.
     */
    publicUpdatedAt: timestamptz().notNull().defaultNow(),
    firstResponseAt: timestamptz(),
    resolvedAt: timestamptz(),
    closedAt: timestamptz(),
    /** Highest message `seq` given out on this ticket (all messages, internal included). */
    lastSeq: integer().notNull().default(0),
    /** Public agent replies. */
    responseCount: integer().notNull().default(0),
    /**
     * Messages people wrote (customer, agent, bot; system lines are not counted): those
     * a customer may see (public), and all of them, internal notes included (agents).
     */
    publicMessageCount: integer().notNull().default(0),
    messageCount: integer().notNull().default(0),
    lastMessageAt: timestamptz(),
    lastPublicMessageAt: timestamptz(),
    ratingScore: smallint(),
    ratingComment: text(),
    ratedAt: timestamptz(),
    /** Where the ticket came from. */
    channel: channelEnum().notNull().default('portal'),
    /** Widget chats: the widget, the guest session that started it, the page and browser. */
    widgetId: uuid().references(() => widgets.id, { onDelete: 'set null' }),
    guestSessionId: text().references(() => guestSessions.id, { onDelete: 'set null' }),
    pageUrl: text(),
    userAgent: text(),
    /** ISO country code from the visitor's address, when a local database is configured. */
    country: text(),
    /** Widget chats the bot answers first: `active` until it hands the chat to the team. */
    botState: botStateEnum().notNull().default('none'),
    /** Visitor messages the bot did not understand in a row (two hand the chat off). */
    botFailures: smallint().notNull().default(0),
    handedOffAt: timestamptz(),
  },
  (t) => [
    uniqueIndex('tickets_number_key').on(t.number),
    uniqueIndex('tickets_customer_client_id_key').on(t.customerId, t.clientId),
    // Keyset orders of tickets.list (each ends in id so the cursor is total).
    index('tickets_customer_public_updated_idx').on(
      t.customerId,
      t.publicUpdatedAt.desc(),
      t.id.desc(),
    ),
    index('tickets_updated_idx').on(t.updatedAt.desc(), t.id.desc()),
    index('tickets_created_idx').on(t.createdAt.desc(), t.id.desc()),
    index('tickets_priority_updated_idx').on(t.priority.desc(), t.updatedAt.desc(), t.id.desc()),
    index('tickets_status_updated_idx').on(t.status, t.updatedAt.desc(), t.id.desc()),
    index('tickets_assignee_updated_idx').on(t.assigneeId, t.updatedAt.desc(), t.id.desc()),
    // The auto-close job's scan, and the "resolved per day" series of tickets.stats.
    index('tickets_resolved_idx')
      .on(t.resolvedAt)
      .where(sql`${t.status} = 'resolved'`),
    index('tickets_resolved_at_idx').on(t.resolvedAt),
    index('tickets_channel_updated_idx').on(t.channel, t.updatedAt.desc(), t.id.desc()),
    index('tickets_guest_session_idx')
      .on(t.guestSessionId)
      .where(sql`${t.guestSessionId} is not null`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    ticketId: uuid()
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** Per-ticket, gap-free, assigned under the ticket's row lock (= commit order). */
    seq: integer().notNull(),
    authorId: uuid().references(() => users.id),
    authorRole: authorRoleEnum().notNull(),
    body: text().notNull(),
    /** Agent-only note: never shown to a customer by any transport. */
    internal: boolean().notNull().default(false),
    clientId: uuid(),
    createdAt: timestamptz().notNull().defaultNow(),
    /** The bot's messages: their suggestion chips and source article; null for others. */
    metadata: jsonb().$type<MessageMetadata>(),
  },
  (t) => [
    uniqueIndex('messages_ticket_seq_key').on(t.ticketId, t.seq),
    uniqueIndex('messages_author_client_id_key').on(t.authorId, t.clientId),
  ],
);

/** Postgres full-text vectors; built by SQL functions (migration 0003), never in JS. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Full-text index of a ticket, one row per ticket, kept apart from `tickets` so the
 * queue's row stays narrow (stats scan it) and a new message rewrites only this row.
 * `public` holds what a customer may search (subject, description, order reference,
 * public messages); `internal` holds internal notes, searched by agents only.
 */
export const ticketSearch = pgTable(
  'ticket_search',
  {
    ticketId: uuid()
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    public: tsvector().notNull(),
    internal: tsvector()
      .notNull()
      .default(sql`''::tsvector`),
  },
  (t) => [
    index('ticket_search_public_idx').using('gin', t.public),
    index('ticket_search_internal_idx').using('gin', t.internal),
  ],
);

/**
 * The list state of tickets written without the event log (the demo seed, an import):
 * the state they had before their first logged event, which every logged change
 * records from then on (`events.state_*`). Keyset paging reads it for such a ticket
 * changed after its first page.
 */
export const ticketBaselines = pgTable('ticket_baselines', {
  ticketId: uuid()
    .primaryKey()
    .references(() => tickets.id, { onDelete: 'cascade' }),
  updatedAt: timestamptz().notNull(),
  publicUpdatedAt: timestamptz().notNull(),
  priority: priorityEnum().notNull(),
  status: statusEnum().notNull(),
  category: categoryEnum().notNull(),
  assigneeId: uuid(),
});

/** How far each user has read each ticket. */
export const ticketReads = pgTable(
  'ticket_reads',
  {
    ticketId: uuid()
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastReadSeq: integer().notNull().default(0),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

/**
 * The event log: one row per change someone may need to see live, written in the
 * same transaction as the change. `id` is the commit-ordered cursor: a BEFORE
 * INSERT trigger (custom migration) takes a transaction-scoped advisory lock and
 * only then draws the id, so ids are handed out in commit order and a reader that
 * resumes from `id > cursor` can never skip a row committed late.
 */
export const events = pgTable(
  'events',
  {
    /** Assigned by the `events_assign_id` trigger; never set by application code. */
    id: bigint({ mode: 'number' }).primaryKey().default(0),
    ticketId: uuid()
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** The ticket's customer, copied so inbox filtering needs no join. */
    customerId: uuid().notNull(),
    type: text().notNull(),
    audience: eventAudienceEnum().notNull().default('all'),
    payload: jsonb().notNull().$type<unknown>(),
    /**
     * The version of the contract's shape `payload` is in (`eventPayloadVersion` of
     * @parley/contract, docs/events.md). Rows logged before the column existed are 1.
     */
    payloadVersion: smallint().notNull().default(1),
    createdAt: timestamptz().notNull().defaultNow(),
    // The ticket's list state right after this event (set by the `events_a_ticket_state`
    // trigger, never by application code): the order and filters a listing saw as of
    // any event id, so keyset paging can keep to the snapshot of its first page.
    // Null on rows logged before migration 0005.
    stateUpdatedAt: timestamptz(),
    statePublicUpdatedAt: timestamptz(),
    statePriority: priorityEnum(),
    stateStatus: statusEnum(),
    stateCategory: categoryEnum(),
    stateAssigneeId: uuid(),
  },
  (t) => [
    index('events_ticket_id_idx').on(t.ticketId, t.id),
    // A customer's inbox replay reads only their own tickets' events.
    index('events_customer_id_idx').on(t.customerId, t.id),
  ],
);

export const eventsIdSeq = pgSequence('events_id_seq');

export type TicketRow = typeof tickets.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type EventRow = typeof events.$inferSelect;
