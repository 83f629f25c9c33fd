import { hashToken } from './hashed-adapter';

type Entry<T> = { value: T; storedAt: number; expiresAt: number };

export type SessionCacheOptions = {
  /** How long a checked session is reused. 0 turns the cache off. */
  ttlMs: number;
  /** At most this many sessions are kept; the oldest goes first. */
  maxEntries?: number;
  now?: () => number;
};

/**
 * Checked sessions, reused for a short time so a call is not a session query too.
 *
 * Trust comes from the LISTEN connection: every session end (sign-out, a disable, a role
 * change) is announced on `channels.sessions`, and `ended` drops what it names. While
 * that connection is down nothing is trusted (a notice could be missed) and the cache
 * is empty. A check that began before a notice or a trust change is not stored
 * (`ticket`/`put`): it may have read the session as it was before the change.
 */
export class SessionCache<T extends { session: { expiresAt: Date }; user: { id: string } }> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private generation = 0;
  private trusted = false;

  constructor(private readonly options: SessionCacheOptions) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(token: string): T | null {
    if (!this.trusted || this.options.ttlMs <= 0) return null;
    const key = hashToken(token);
    const entry = this.entries.get(key);
    if (!entry) return null;
    const now = this.now();
    if (now - entry.storedAt >= this.options.ttlMs || now >= entry.expiresAt) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  /** Taken before a check; `put` stores its result only if nothing changed meanwhile. */
  ticket(): number {
    return this.generation;
  }

  put(token: string, value: T, ticket: number): void {
    if (!this.trusted || this.options.ttlMs <= 0 || ticket !== this.generation) return;
    const key = hashToken(token);
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, {
      value,
      storedAt: this.now(),
      expiresAt: value.session.expiresAt.getTime(),
    });
  }

  /**
   * A `channels.sessions` notice (`{"session": hash}` or `{"user": id}`) or a session
   * ended in this process. Anything else unreadable empties the cache.
   */
  ended(notice: string | { session: string } | { user: string }): void {
    this.generation++;
    const parsed = typeof notice === 'string' ? parseNotice(notice) : notice;
    if (!parsed) return this.entries.clear();
    if ('session' in parsed) {
      this.entries.delete(parsed.session);
      return;
    }
    for (const [key, entry] of this.entries) {
      if (entry.value.user.id === parsed.user) this.entries.delete(key);
    }
  }

  /** The LISTEN connection is up (`true`) or down: either way, start from empty. */
  setTrusted(trusted: boolean): void {
    this.generation++;
    this.trusted = trusted;
    this.entries.clear();
  }
}

function parseNotice(payload: string): { session: string } | { user: string } | null {
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null) return null;
    const record = value as Record<string, unknown>;
    if (typeof record.session === 'string') return { session: record.session };
    if (typeof record.user === 'string') return { user: record.user };
    return null;
  } catch {
    return null;
  }
}
