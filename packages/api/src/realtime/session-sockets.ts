import { sessions, type Db } from '@parley/db';
import { and, gt, inArray } from 'drizzle-orm';
import type { Auth } from '../auth/auth';
import { hashToken } from '../auth/hashed-adapter';

/** The NOTIFY channel `Auth.endSession` / `endUserSessions` write to. */
export const sessionsChannel = 'parley_sessions';

/** WebSocket close codes the hub uses (4000–4999 are the application's). */
export const closeCodes = {
  /** Signed out, signed out everywhere, disabled, role changed, or expired. */
  sessionEnded: 4401,
  /**
   * Try again later: the client stopped reading, or the database was unreachable
   * while it caught up. It reconnects and resumes from `lastEventId`.
   */
  resumeLater: 1013,
} as const;

/** A signed-in socket the hub may have to close. */
export type TrackedSocket = {
  /** The session token of the connection (`ctx.session.id`). */
  token: string;
  userId: string;
  expiresAt: Date;
  close(code: number, reason: string): void;
};

type Entry = { socket: TrackedSocket; hash: string; timer: NodeJS.Timeout | null };

// setTimeout fires at once for delays past 2^31-1 ms (~24.8 days): sessions last longer.
const maxTimerMs = 2 ** 31 - 1;

/**
 * The process's signed-in sockets by session and by user, so that the end of a
 * session anywhere (a NOTIFY on `parley_sessions`) closes its sockets here, and a
 * socket is re-checked when its session reaches its expiry.
 */
export class SessionSockets {
  private readonly bySession = new Map<string, Set<Entry>>();
  private readonly byUser = new Map<string, Set<Entry>>();

  constructor(
    private readonly deps: {
      db: Db;
      auth: Pick<Auth, 'validate'>;
      onError: (error: unknown) => void;
    },
  ) {}

  get size(): number {
    let n = 0;
    for (const set of this.bySession.values()) n += set.size;
    return n;
  }

  track(socket: TrackedSocket): () => void {
    const entry: Entry = { socket, hash: hashToken(socket.token), timer: null };
    add(this.bySession, entry.hash, entry);
    add(this.byUser, socket.userId, entry);
    this.schedule(entry);
    return () => this.untrack(entry);
  }

  /** Handles a `parley_sessions` payload: `{"session": "<sha256 of token>"}` or `{"user": "<id>"}`. */
  ended(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { session, user } = parsed as { session?: unknown; user?: unknown };
    const entries =
      typeof session === 'string'
        ? this.bySession.get(session)
        : typeof user === 'string'
          ? this.byUser.get(user)
          : null;
    for (const entry of [...(entries ?? [])]) this.close(entry, 'Session ended');
  }

  /**
   * Closes every socket whose session no longer exists. Run after the LISTEN
   * connection comes back: session ends notified while it was down were lost.
   */
  async revalidateAll(): Promise<void> {
    const entries = [...this.bySession.values()].flatMap((set) => [...set]);
    for (let i = 0; i < entries.length; i += 1000) {
      const batch = entries.slice(i, i + 1000);
      const rows = await this.deps.db
        .select({ id: sessions.id })
        .from(sessions)
        .where(
          and(
            inArray(sessions.id, [...new Set(batch.map((e) => e.hash))]),
            gt(sessions.expiresAt, new Date()),
          ),
        );
      const alive = new Set(rows.map((row) => row.id));
      for (const entry of batch) if (!alive.has(entry.hash)) this.close(entry, 'Session ended');
    }
  }

  /** Forgets every socket and stops their expiry timers (the server closes the sockets). */
  clear(): void {
    for (const set of [...this.bySession.values()]) {
      for (const entry of [...set]) this.untrack(entry);
    }
  }

  private close(entry: Entry, reason: string): void {
    this.untrack(entry);
    entry.socket.close(closeCodes.sessionEnded, reason);
  }

  private untrack(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    remove(this.bySession, entry.hash, entry);
    remove(this.byUser, entry.socket.userId, entry);
  }

  /** At the session's expiry, validate again: Lucia may have extended it meanwhile. */
  private schedule(entry: Entry): void {
    const delay = Math.max(0, entry.socket.expiresAt.getTime() - Date.now());
    entry.timer = setTimeout(
      () => {
        entry.timer = null;
        if (Date.now() < entry.socket.expiresAt.getTime()) return this.schedule(entry);
        this.deps.auth.validate(entry.socket.token).then(
          (found) => {
            if (!this.bySession.get(entry.hash)?.has(entry)) return;
            if (!found || found.user.id !== entry.socket.userId)
              return this.close(entry, 'Session expired');
            entry.socket = { ...entry.socket, expiresAt: found.session.expiresAt };
            this.schedule(entry);
          },
          (error: unknown) => {
            // The database is unreachable: try again shortly rather than keep a dead session.
            this.deps.onError(error);
            entry.socket = { ...entry.socket, expiresAt: new Date(Date.now() + 5000) };
            if (this.bySession.get(entry.hash)?.has(entry)) this.schedule(entry);
          },
        );
      },
      Math.min(delay, maxTimerMs),
    );
    entry.timer.unref();
  }
}

function add(map: Map<string, Set<Entry>>, key: string, entry: Entry): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(entry);
}

function remove(map: Map<string, Set<Entry>>, key: string, entry: Entry): void {
  const set = map.get(key);
  if (!set?.delete(entry)) return;
  if (set.size === 0) map.delete(key);
}
