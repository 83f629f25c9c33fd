/** How many WebSockets one client may hold on this process (README: Reliability limits). */
export type SocketCapLimits = {
  /** Open sockets from one IP address, signed in or not (refused at the upgrade: HTTP 429). */
  perIp: number;
  /** Open sockets of one user, over all their sessions. */
  perUser: number;
  /** Open sockets of one session (every tab of one browser shares its cookie). */
  perSession: number;
  /**
   * Subscriptions of one user to one stream (one ticket's thread, their inbox) over all
   * their sockets: each is one more copy of every event of that stream.
   */
  perUserStream: number;
  /** A socket that has not signed in (by cookie or `connectionParams.token`) by then is closed. */
  anonymousGraceMs: number;
};

export const defaultSocketCapLimits: SocketCapLimits = {
  perIp: 256,
  perUser: 32,
  perSession: 24,
  perUserStream: 8,
  anonymousGraceMs: 10_000,
};

/** WebSocket close codes of the caps (4000–4999 are the application's). */
export const capCloseCodes = {
  /** The user or session already holds its maximum of sockets. */
  tooManySockets: 4429,
  /** No sign-in within the grace period. */
  signInRequired: 4408,
} as const;

/** Counts open sockets per key; `take` fails once a key holds `max`. */
class Counter {
  private readonly counts = new Map<string, number>();

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Counts one more for `key` unless it is at `max`; returns the release function, or null. */
  take(key: string, max: number): (() => void) | null {
    const n = this.count(key);
    if (n >= max) return null;
    this.counts.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = this.count(key) - 1;
      if (left <= 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
  }
}

/** The process's socket counts per IP, user and session. */
export class SocketCaps {
  private readonly byIp = new Counter();
  private readonly byUser = new Counter();
  private readonly bySession = new Counter();
  private readonly byStream = new Counter();

  constructor(readonly limits: SocketCapLimits) {}

  ipHasRoom(ip: string): boolean {
    return this.byIp.count(ip) < this.limits.perIp;
  }

  /** Once the handshake is done: null when the IP holds its maximum already. */
  takeIp(ip: string): (() => void) | null {
    return this.byIp.take(ip, this.limits.perIp);
  }

  /** A user's subscription to one stream (see `perUserStream`): null when at the cap. */
  takeStream(key: string): (() => void) | null {
    return this.byStream.take(key, this.limits.perUserStream);
  }

  /** Once signed in: null when the user or the session holds its maximum already. */
  takeSignedIn(userId: string, sessionId: string): (() => void) | null {
    const user = this.byUser.take(userId, this.limits.perUser);
    if (!user) return null;
    const session = this.bySession.take(sessionId, this.limits.perSession);
    if (!session) {
      user();
      return null;
    }
    return () => {
      user();
      session();
    };
  }
}
