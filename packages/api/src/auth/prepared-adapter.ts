import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { prepared, sessions, users, type Db } from '@parley/db';
import { eq, sql } from 'drizzle-orm';
import type { DatabaseSession, DatabaseUser } from 'lucia';

/**
 * Lucia's drizzle adapter with its per-request lookup (a session and its user, on
 * every HTTP request and socket check) as a prepared statement: built once, parsed and
 * planned once per connection. The rows are shaped exactly as the adapter shapes them.
 */
export class PreparedSessionAdapter extends DrizzlePostgreSQLAdapter {
  constructor(private readonly pool: Db) {
    super(pool, sessions, users);
  }

  override async getSessionAndUser(
    sessionId: string,
  ): Promise<[session: DatabaseSession | null, user: DatabaseUser | null]> {
    const query = prepared(this.pool, 'session_and_user', (handle) =>
      handle
        .select({ user: users, session: sessions })
        .from(sessions)
        .innerJoin(users, eq(sessions.userId, users.id))
        .where(eq(sessions.id, sql.placeholder('sessionId')))
        .prepare('session_and_user'),
    );
    const rows = await query.execute({ sessionId });
    const [row] = rows;
    if (rows.length !== 1 || !row) return [null, null];
    const { id, userId, expiresAt, ...sessionAttributes } = row.session;
    const { id: uid, ...userAttributes } = row.user;
    return [
      { id, userId, expiresAt, attributes: sessionAttributes },
      { id: uid, attributes: userAttributes },
    ];
  }
}
