import {
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  getSessionAndUser,
  insertSession,
  listUserSessions,
  updateSessionExpiry,
  type Db,
  type SessionRow,
} from '@parley/db';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';

/**
 * Lucia's storage, on `@parley/db`'s session queries. Rows are shaped as Lucia's
 * drizzle adapter shapes them: the session's and user's other columns are attributes.
 */
export class SessionAdapter implements Adapter {
  constructor(private readonly db: Db) {}

  async getSessionAndUser(
    sessionId: string,
  ): Promise<[session: DatabaseSession | null, user: DatabaseUser | null]> {
    const found = await getSessionAndUser(this.db, { id: sessionId });
    if (!found) return [null, null];
    const { id: uid, ...userAttributes } = found.user;
    return [toDatabaseSession(found.session), { id: uid, attributes: userAttributes }];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await listUserSessions(this.db, { userId });
    return rows.map(toDatabaseSession);
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await insertSession(this.db, {
      id: session.id,
      userId: session.userId,
      expiresAt: session.expiresAt,
    });
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await updateSessionExpiry(this.db, { id: sessionId, expiresAt });
  }

  async deleteSession(sessionId: string): Promise<void> {
    await deleteSession(this.db, { id: sessionId });
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await deleteUserSessions(this.db, { userId });
  }

  async deleteExpiredSessions(): Promise<void> {
    await deleteExpiredSessions(this.db);
  }
}

function toDatabaseSession(row: SessionRow): DatabaseSession {
  const { id, userId, expiresAt, ...attributes } = row;
  return { id, userId, expiresAt, attributes };
}
