import { activeSessions, type Db, type Role } from '@parley/db';
import type { Auth } from '../auth/auth';
import { hashToken } from '../auth/hashed-adapter';
import { closeCodes } from './socket-handle';

/** A signed-in socket the hub may have to close. */
export type TrackedSocket = {
  /** The session token of the connection (`ctx.session.id`). */
  token: string;
  userId: string;
  /** The user's role when the socket signed in: a socket outlives no role change. */
  role: Role;
  expiresAt: Date;
  close(code: number, reason: string): void;
};

type Entry = { socket: TrackedSocket; hash: string; timer: NodeJS.Timeout | null };

// setTimeout fires at once for delays past 2^31-1 ms (~24.8 days): sessions last longer.
const maxTimerMs = 2 ** 31 - 1;

/**
 * The process's signed-in sockets by session and by user, so that the end of a
 * session anywhere (a NOTIFY on `channels.sessions`) closes its sockets here, and a
 * socket is re-checked when its session reaches its expiry.
 */
export class SessionSockets {
  private readonly bySession = new Map<string, Set<Entry>>();
  private readonly byUser = new Map<string, Set<Entry>>();
  private checking: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

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

  /** Whether an agent or admin has a socket open on this process (the widget's "online"). */
  get staffConnected(): boolean {
    for (const set of this.byUser.values()) {
      for (const entry of set) if (entry.socket.role !== 'customer') return true;
    }
    return false;
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
   * Closes every socket whose session ended (signed out, expired, its user disabled or
   * given another role) by asking the database: for when session-end notifications may
   * have been lost (the LISTEN connection was down). Resolves once a check that started
   * after the call is done: concurrent callers share one follow-up check.
   */
  recheck(): Promise<void> {
    if (!this.checking) {
      this.checking = this.checkAll().finally(() => {
        this.checking = null;
      });
      return this.checking;
    }
    this.queued ??= this.checking
      .catch(() => {})
      .then(() => {
        this.queued = null;
        return this.recheck();
      });
    return this.queued;
  }

  private async checkAll(): Promise<void> {
    const entries = [...this.bySession.values()].flatMap((set) => [...set]);
    for (let i = 0; i < entries.length; i += 1000) {
      const batch = entries.slice(i, i + 1000);
      const rows = await activeSessions(this.deps.db, {
        ids: [...new Set(batch.map((e) => e.hash))],
      });
      const alive = new Map(rows.map((row) => [row.id, row]));
      for (const entry of batch) {
        if (!this.bySession.get(entry.hash)?.has(entry)) continue;
        const row = alive.get(entry.hash);
        if (!row || row.userId !== entry.socket.userId || row.role !== entry.socket.role)
          this.close(entry, 'Session ended');
      }
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
            if (
              !found ||
              found.user.id !== entry.socket.userId ||
              found.user.role !== entry.socket.role
            )
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
