import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { roleEnum } from './enums';

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Always stored lower-cased and trimmed; unique. */
    email: text().notNull(),
    name: text().notNull(),
    role: roleEnum().notNull().default('customer'),
    /** Null for a guest contact (a chat visitor), who cannot sign in. */
    passwordHash: text(),
    /** E.164 (`+14155550123`), from the chat widget's pre-chat form. */
    phone: text(),
    disabledAt: timestamp({ withTimezone: true, mode: 'date' }),
    /** When the owner proved the address (a sign-up, reset or invitation link used). */
    emailVerifiedAt: timestamp({ withTimezone: true, mode: 'date' }),
    createdAt: timestamp({ withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    index('users_phone_idx')
      .on(t.phone)
      .where(sql`${t.phone} is not null`),
    index('users_role_idx')
      .on(t.role)
      .where(sql`${t.disabledAt} is null`),
  ],
);

/**
 * Lucia sessions. `id` is the SHA-256 hash (hex) of the token the client holds,
 * never the token itself: a copied row cannot be replayed as a session.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
