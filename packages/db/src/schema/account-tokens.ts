import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const accountTokenPurposes = ['password_reset', 'invite'] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];
export const accountTokenPurposeEnum = pgEnum('account_token_purpose', accountTokenPurposes);

/**
 * Single-use links sent by email: a password reset (30 minutes) or an invitation to
 * the team (7 days). Only the SHA-256 hash of the token is stored; `usedAt` is set by
 * the one statement that takes it, so a link works once.
 */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: accountTokenPurposeEnum().notNull(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp({ withTimezone: true, mode: 'date' }),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('account_tokens_user_idx').on(t.userId, t.purpose)],
);

export type AccountTokenRow = typeof accountTokens.$inferSelect;
