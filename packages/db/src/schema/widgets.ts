import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { widgetPositionEnum } from './enums';
import { users } from './users';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'date' });

/**
 * A chat widget a site embeds with one script tag. `siteKey` is public by nature (it is
 * in the host page); `allowedOrigins` are the only origins that may frame the chat and
 * start conversations; `secret` signs the host's `data-user-token` (identity verification).
 */
export const widgets = pgTable(
  'widgets',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    siteKey: text().notNull(),
    /** Exact origins (`https://shop.example`), no paths, no wildcards. */
    allowedOrigins: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    title: text().notNull(),
    /** `#rrggbb`. */
    color: text().notNull(),
    greeting: text().notNull(),
    position: widgetPositionEnum().notNull().default('right'),
    requirePhone: boolean().notNull().default(false),
    enabled: boolean().notNull().default(true),
    /** The bot answers first (when there is at least one published article or enabled answer). */
    botEnabled: boolean().notNull().default(true),
    secret: text().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [uniqueIndex('widgets_site_key_key').on(t.siteKey)],
);

/**
 * A visitor's chat session on one widget. `id` is the SHA-256 hash (hex) of the token
 * the chat frame holds, never the token: a copied row does not authenticate. A guest
 * sees only the tickets started from this session (`tickets.guest_session_id`).
 */
export const guestSessions = pgTable(
  'guest_sessions',
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    widgetId: uuid()
      .notNull()
      .references(() => widgets.id, { onDelete: 'cascade' }),
    /** The host vouched for the visitor (a valid `data-user-token`). */
    verified: boolean().notNull().default(false),
    expiresAt: timestamptz().notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    index('guest_sessions_user_id_idx').on(t.userId),
    index('guest_sessions_expires_at_idx').on(t.expiresAt),
  ],
);

export type WidgetRow = typeof widgets.$inferSelect;
export type GuestSessionRow = typeof guestSessions.$inferSelect;
