import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { sessions, users, type Role } from '../schema';

export type ActiveSession = { id: string; userId: string; role: Role };

/**
 * Of the given sessions (by stored id, the token's hash), those still valid: not
 * expired, and their user not disabled. With the user's current role, so a caller
 * can tell a socket opened under another role. For re-checking open sockets when
 * session-end notifications may have been lost.
 */
export async function activeSessions(
  db: DbOrTx,
  params: { ids: string[] },
): Promise<ActiveSession[]> {
  if (params.ids.length === 0) return [];
  return db
    .select({ id: sessions.id, userId: sessions.userId, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        inArray(sessions.id, params.ids),
        gt(sessions.expiresAt, new Date()),
        isNull(users.disabledAt),
      ),
    );
}
