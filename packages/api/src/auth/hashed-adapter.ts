import { createHash } from 'node:crypto';
import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Wraps a Lucia adapter so that only SHA-256 hashes of session ids reach the
 * database. Lucia keeps handing the plain id to the client (the cookie or token);
 * a row read from the database is useless as a credential.
 */
export class HashedSessionAdapter implements Adapter {
  constructor(private readonly inner: Adapter) {}

  async getSessionAndUser(
    sessionId: string,
  ): Promise<[session: DatabaseSession | null, user: DatabaseUser | null]> {
    const [session, user] = await this.inner.getSessionAndUser(hashToken(sessionId));
    return [session ? { ...session, id: sessionId } : null, user];
  }

  getUserSessions(userId: string): Promise<DatabaseSession[]> {
    return this.inner.getUserSessions(userId);
  }

  setSession(session: DatabaseSession): Promise<void> {
    return this.inner.setSession({ ...session, id: hashToken(session.id) });
  }

  updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    return this.inner.updateSessionExpiration(hashToken(sessionId), expiresAt);
  }

  deleteSession(sessionId: string): Promise<void> {
    return this.inner.deleteSession(hashToken(sessionId));
  }

  deleteUserSessions(userId: string): Promise<void> {
    return this.inner.deleteUserSessions(userId);
  }

  deleteExpiredSessions(): Promise<void> {
    return this.inner.deleteExpiredSessions();
  }
}
