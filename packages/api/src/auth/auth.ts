import { notifySessionsEnded, type Db, type DbOrTx, type Role, type Viewer } from '@parley/db';
import { Lucia, TimeSpan } from 'lucia';
import { HashedSessionAdapter, hashToken } from './hashed-adapter';
import { SessionAdapter } from './session-adapter';
import { SessionCache } from './session-cache';

/** The signed-in user: the `Viewer` every check uses, with what `auth.me` shows. */
export type SessionUser = Viewer & { email: string; createdAt: Date };
export type Session = { id: string; userId: string; expiresAt: Date };

export type AuthOptions = {
  /** Session lifetime; Lucia extends it when half has passed. Default 30 days. */
  sessionDays?: number;
  /**
   * How long a checked session is reused without asking the database (default 5 s).
   * Only while the LISTEN connection is up (`sessionCache.setTrusted`), whose session-end
   * notices drop entries at once (`sessionCache.ended`). 0 turns it off.
   */
  sessionCacheMs?: number;
};

type Validated = { session: Session; user: SessionUser; extended: boolean };

function createLucia(db: Db, options: AuthOptions) {
  const adapter = new HashedSessionAdapter(new SessionAdapter(db));
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(options.sessionDays ?? 30, 'd'),
    // `Secure` is added by the HTTP layer for every host but localhost.
    sessionCookie: { name: 'parley_session', attributes: { secure: false } },
    getUserAttributes: (row) => ({
      email: row.email,
      name: row.name,
      role: row.role,
      createdAt: row.createdAt,
      disabled: row.disabledAt !== null,
    }),
  });
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: {
      email: string;
      name: string;
      role: Role;
      createdAt: Date;
      disabledAt: Date | null;
    };
  }
}

/**
 * Sessions, behind one small interface so the library can be swapped without
 * touching routers. Ending sessions also NOTIFYs `channels.sessions`, so every
 * server process closes the sockets that belonged to them.
 */
export type Auth = ReturnType<typeof createAuth>;

export function createAuth(db: Db, options: AuthOptions = {}) {
  const lucia = createLucia(db, options);
  const cache = new SessionCache<Validated>({ ttlMs: options.sessionCacheMs ?? 5000 });

  const notifyEnded = (ended: { session: string } | { user: string }, executor: DbOrTx = db) =>
    notifySessionsEnded(executor, ended);

  return {
    cookieName: lucia.sessionCookieName,

    async createSession(userId: string): Promise<{ token: string; session: Session }> {
      const session = await lucia.createSession(userId, {});
      return { token: session.id, session: toSession(session) };
    },

    /** The session and its user, or null when unknown, expired or disabled. Never throws on bad input. */
    async validate(token: string): Promise<Validated | null> {
      if (!/^[a-z0-9]{20,64}$/.test(token)) return null;
      const cached = cache.get(token);
      if (cached) return cached;
      const ticket = cache.ticket();
      const { session, user } = await lucia.validateSession(token);
      if (!session || !user) return null;
      if (user.disabled) return null;
      const found: Validated = {
        session: toSession(session),
        // Lucia just extended the session: cookie clients need the new expiry.
        extended: session.fresh,
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          createdAt: user.createdAt,
        },
      };
      cache.put(token, { ...found, extended: false }, ticket);
      return found;
    },

    /** The process's LISTEN connection feeds this: see `AuthOptions.sessionCacheMs`. */
    sessionCache: {
      ended: (notice: string) => cache.ended(notice),
      setTrusted: (trusted: boolean) => cache.setTrusted(trusted),
      get size() {
        return cache.size;
      },
    },

    async endSession(token: string): Promise<void> {
      await lucia.invalidateSession(token);
      cache.ended({ session: hashToken(token) });
      await notifyEnded({ session: hashToken(token) });
    },

    async endUserSessions(userId: string): Promise<void> {
      await lucia.invalidateUserSessions(userId);
      cache.ended({ user: userId });
      await notifyEnded({ user: userId });
    },

    /**
     * Closes the user's sockets on every server the moment `tx` commits (a role change,
     * a disable): the notice is delivered in commit order, so no event written after
     * the change reaches a socket opened under the old role. `endUserSessions` follows.
     */
    async closeUserSocketsAtCommit(tx: DbOrTx, userId: string): Promise<void> {
      await notifyEnded({ user: userId }, tx);
    },

    sessionCookie(token: string): string {
      return lucia.createSessionCookie(token).serialize();
    },

    blankCookie(): string {
      return lucia.createBlankSessionCookie().serialize();
    },

    /**
     * The session token of a request: `Authorization: Bearer …` first, then the cookie.
     * Malformed headers (bad percent-encoding…) count as no token.
     */
    tokenFromHeaders(headers: {
      authorization?: string | undefined;
      cookie?: string | undefined;
    }): string | null {
      try {
        const bearer = lucia.readBearerToken(headers.authorization ?? '');
        return bearer ?? lucia.readSessionCookie(headers.cookie ?? '');
      } catch {
        return null;
      }
    },
  };
}

function toSession(session: { id: string; userId: string; expiresAt: Date }): Session {
  return { id: session.id, userId: session.userId, expiresAt: session.expiresAt };
}
