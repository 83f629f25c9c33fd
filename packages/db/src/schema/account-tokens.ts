import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

export const accountTokenPurposes = ['password_reset', 'invite', 'sign_up'] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];
export const accountTokenPurposeEnum = pgEnum('account_token_purpose', accountTokenPurposes);

/**
 * Single-use links sent by email: a password reset (30 minutes), an invitation to the
 * team (7 days) or a sign-up to finish (24 hours). Only the SHA-256 hash of the token
 * is stored; `usedAt` is set by the one statement that takes it, so a link works once.
 *
 * A sign-up has no user yet: its link carries the pending account (`email`, `name`,
 * `passwordHash`), and the account is created only when the link is used, so nobody
 * gets an account whose password a stranger chose before the owner proved the email.
 */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The account the link is for; null for a sign-up (no account yet). */
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    purpose: accountTokenPurposeEnum().notNull(),
    /** A pending sign-up: the address, name and password hash of the account to create. */
    email: text(),
    name: text(),
    passwordHash: text(),
    tokenHash: text().notNull().unique(),
    expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp({ withTimezone: true, mode: 'date' }),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('account_tokens_user_idx').on(t.userId, t.purpose),
    index('account_tokens_email_idx')
      .on(t.email)
      .where(sql`${t.email} is not null`),
    // Either a link for an account, or a pending sign-up with all it needs.
    check(
      'account_tokens_user_or_sign_up',
      sql`(${t.userId} is not null and ${t.email} is null) or (${t.userId} is null and ${t.email} is not null and ${t.name} is not null and ${t.passwordHash} is not null)`,
    ),
  ],
);

export type AccountTokenRow = typeof accountTokens.$inferSelect;
