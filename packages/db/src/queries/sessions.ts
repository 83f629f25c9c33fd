// Sign-in sessions. `id` is always the stored id (the SHA-256 hash of the token the
// client holds), never the token: hashing is the caller's (the API's session adapter).
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { prepared } from '../prepared';
import { sessions, users, type SessionRow, type UserRow } from '../schema';

/**
 * A session and its user: the lookup behind every HTTP request and socket check, so a
 * prepared statement (built once, parsed and planned once per connection).
 */
export async function getSessionAndUser(
  db: DbOrTx,
  params: { id: string },
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const query = prepared(db, 'session_and_user', (handle) =>
    handle
      .select({ user: users, session: sessions })
      .from(sessions)
      .innerJoin(users, eq(sessions.userId, users.id))
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare('session_and_user'),
  );
  const rows = await query.execute({ id: params.id });
  return rows.length === 1 ? rows[0] : undefined;
}

export async function listUserSessions(
  db: DbOrTx,
  params: { userId: string },
): Promise<SessionRow[]> {
  return db.select().from(sessions).where(eq(sessions.userId, params.userId));
}

export async function insertSession(db: DbOrTx, params: SessionRow): Promise<void> {
  await db
    .insert(sessions)
    .values({ id: params.id, userId: params.userId, expiresAt: params.expiresAt });
}

export async function updateSessionExpiry(
  db: DbOrTx,
  params: { id: string; expiresAt: Date },
): Promise<void> {
  await db.update(sessions).set({ expiresAt: params.expiresAt }).where(eq(sessions.id, params.id));
}

export async function deleteSession(db: DbOrTx, params: { id: string }): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, params.id));
}

export async function deleteUserSessions(db: DbOrTx, params: { userId: string }): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, params.userId));
}
