import { isAgent, type EphemeralEvent, type Viewer } from './events';
import { chunkEntries, fromTuple, toTuple, type SignalMessage } from './signals';
import type { Subscriber } from './subscriber';

export type EphemeralOptions = {
  /** This hub's id: tells its own echoes and its viewers apart from other processes'. */
  hubId: string;
  /** A typing indicator without renewal disappears after this long. */
  typingTtlMs: number;
  /** Renewals closer together than this are not re-published (one NOTIFY per burst). */
  typingRenewMs: number;
  /** Each process re-announces its viewers this often… */
  presenceHeartbeatMs: number;
  /** …and a viewer not re-announced for this long is gone (its process died). */
  presenceTtlMs: number;
  now: () => number;
  /** Sends a signal to every process (NOTIFY). */
  publish: (message: SignalMessage) => void;
  /** Delivers an ephemeral event to a ticket's local subscribers; `build` may skip one (null). */
  emit: (ticketId: string, build: (sub: Subscriber) => EphemeralEvent | null) => void;
};

/** Typing signals a user may publish in a burst before being held to one per second. */
const typingBurst = 10;
/**
 * A user's typing on a ticket starts at most once per this long after its previous
 * change: a start sooner is held, and applies when the time is up unless a stop came
 * after it (the latest state wins). Stops apply at once: a stale "typing…" is worse than
 * a late one, and each stop needs a start before it, so they cannot flood either.
 */
export const typingChangeMs = 1000;

type Viewing = { user: Viewer; expiresAt: number };
type Typing = { user: Viewer; internal: boolean; expiresAt: number };
type HeldTyping = { ticketId: string; user: Viewer; on: boolean; internal: boolean };

function entryMap<V>(map: Map<string, Map<string, V>>, ticketId: string): Map<string, V> {
  let entries = map.get(ticketId);
  if (!entries) map.set(ticketId, (entries = new Map<string, V>()));
  return entries;
}

/**
 * Typing and presence: state in memory on every process, changed by local calls and
 * by signals from the other processes, expired by time. Nothing is stored or replayed.
 */
export class Ephemeral {
  /** Local subscriptions per ticket and user (a user may have several tabs). */
  private readonly local = new Map<string, Map<string, { user: Viewer; count: number }>>();
  /** Everyone viewing, per ticket, keyed `hubId|userId`. */
  private readonly viewers = new Map<string, Map<string, Viewing>>();
  /** Who is typing, per ticket, keyed by user id. */
  private readonly typists = new Map<string, Map<string, Typing>>();
  private readonly published = new Map<string, number>();
  /** When each `ticketId|userId` typing state last changed here, and the change held since. */
  private readonly changedAt = new Map<string, number>();
  private readonly held = new Map<string, HeldTyping>();
  /** Typing signals each user may still publish (refilled over time): NOTIFY is costly. */
  private readonly budgets = new Map<string, { tokens: number; at: number }>();
  private lastHeartbeat: number;

  constructor(private readonly options: EphemeralOptions) {
    this.lastHeartbeat = options.now();
  }

  /** A local subscription to a ticket opened: announce the viewer if they are new here. */
  join(ticketId: string, user: Viewer): void {
    const local = entryMap(this.local, ticketId);
    const entry = local.get(user.id);
    if (entry) {
      entry.count++;
      return;
    }
    local.set(user.id, { user, count: 1 });
    this.setViewer(ticketId, `${this.options.hubId}|${user.id}`, user);
    this.options.publish({ k: 'here', h: this.options.hubId, v: [[ticketId, ...toTuple(user)]] });
  }

  /** A local subscription closed: the viewer leaves when it was their last one here. */
  leave(ticketId: string, user: Viewer): void {
    const local = this.local.get(ticketId);
    const entry = local?.get(user.id);
    if (!local || !entry) return;
    if (--entry.count > 0) return;
    local.delete(user.id);
    if (local.size === 0) this.local.delete(ticketId);
    this.removeViewer(ticketId, `${this.options.hubId}|${user.id}`);
    this.options.publish({ k: 'gone', h: this.options.hubId, v: [[ticketId, user.id]] });
  }

  /**
   * Someone on this process typed (or stopped). A start within `typingChangeMs` of the
   * previous change is held, so a flood of toggles reaches the viewers (here and on every
   * process) as at most one start and one stop a second.
   */
  typing(ticketId: string, user: Viewer, on: boolean, internal: boolean): void {
    const key = `${ticketId}|${user.id}`;
    const now = this.options.now();
    const showing = this.typists.get(ticketId)?.has(user.id) ?? false;
    if (on !== showing) {
      if (on && now - (this.changedAt.get(key) ?? -Infinity) < typingChangeMs) {
        this.held.set(key, { ticketId, user, on, internal });
        return;
      }
      this.changedAt.set(key, now);
    }
    this.held.delete(key);
    if (!on && !showing) return; // nothing to stop, here or elsewhere
    this.setTyping(ticketId, user, on, internal);
    if (on && now - (this.published.get(key) ?? -Infinity) < this.options.typingRenewMs) return;
    if (!this.spend(user.id, now)) return; // a flood: shown here, not re-broadcast
    if (on) this.published.set(key, now);
    else this.published.delete(key);
    this.options.publish({
      k: 'typing',
      h: this.options.hubId,
      t: ticketId,
      u: toTuple(user),
      on,
      i: internal,
    });
  }

  /** A signal from any process (our own echoes are ignored: they were applied when sent). */
  receive(message: SignalMessage): void {
    if (message.h === this.options.hubId) return;
    switch (message.k) {
      case 'typing':
        this.setTyping(message.t, fromTuple(message.u), message.on, message.i);
        break;
      case 'here':
        for (const [ticketId, ...user] of message.v) {
          this.setViewer(ticketId, `${message.h}|${user[0]}`, fromTuple(user));
        }
        break;
      case 'gone':
        for (const [ticketId, userId] of message.v)
          this.removeViewer(ticketId, `${message.h}|${userId}`);
        break;
    }
  }

  /**
   * Applies held typing changes whose time has come, expires what was not renewed and
   * sends this process's presence heartbeat when due.
   */
  tick(): void {
    const now = this.options.now();
    for (const [key, at] of this.changedAt) {
      if (now - at < typingChangeMs) continue;
      this.changedAt.delete(key);
      const held = this.held.get(key);
      if (held) this.typing(held.ticketId, held.user, held.on, held.internal);
    }
    for (const [key, at] of this.published) {
      if (now - at > this.options.typingTtlMs) this.published.delete(key);
    }
    for (const [userId, budget] of this.budgets) {
      if (now - budget.at > typingBurst * 1000) this.budgets.delete(userId);
    }
    for (const [ticketId, typists] of this.typists) {
      for (const typing of typists.values()) {
        if (typing.expiresAt <= now) this.setTyping(ticketId, typing.user, false, typing.internal);
      }
    }
    for (const [ticketId, viewers] of this.viewers) {
      for (const [key, viewing] of viewers) {
        // This process's own viewers leave explicitly; only other processes' can go silent.
        if (viewing.expiresAt <= now && !key.startsWith(`${this.options.hubId}|`))
          this.removeViewer(ticketId, key);
      }
    }
    if (now - this.lastHeartbeat >= this.options.presenceHeartbeatMs) {
      this.lastHeartbeat = now;
      for (const message of chunkEntries('here', this.options.hubId, this.localEntries())) {
        this.options.publish(message);
      }
    }
  }

  /** Tells the other processes that every viewer of this one is gone (graceful shutdown). */
  leaveAll(): void {
    const gone = this.localEntries().map(
      ([ticketId, userId]) => [ticketId, userId] as [string, string],
    );
    for (const message of chunkEntries('gone', this.options.hubId, gone))
      this.options.publish(message);
    this.local.clear();
  }

  /** The presence event a subscriber should see now, or null when it would repeat the last one. */
  presenceFor(sub: Subscriber, ticketId: string): EphemeralEvent | null {
    const seen = new Map<string, Viewer>();
    for (const { user } of this.viewers.get(ticketId)?.values() ?? []) {
      if (user.id === sub.viewer.id) continue;
      // Customers learn that an agent is looking, not which other customers are.
      if (!isAgent(sub.viewer) && !isAgent(user)) continue;
      seen.set(user.id, user);
    }
    const viewers = [...seen.values()].sort((a, b) => a.id.localeCompare(b.id));
    const key = viewers.map((v) => v.id).join(',');
    if (sub.presenceKey === key) return null;
    sub.presenceKey = key;
    return { type: 'presence', ticketId, data: { viewers } };
  }

  /** The typing indicators a new subscriber should see. */
  typingFor(sub: Subscriber, ticketId: string): EphemeralEvent[] {
    return [...(this.typists.get(ticketId)?.values() ?? [])].flatMap((typing) =>
      this.mayShowTyping(sub, typing.user, typing.internal)
        ? [{ type: 'typing', ticketId, data: { user: typing.user, typing: true } } as const]
        : [],
    );
  }

  private localEntries(): Array<[string, string, string, Viewer['role']]> {
    const entries: Array<[string, string, string, Viewer['role']]> = [];
    for (const [ticketId, users] of this.local) {
      for (const { user } of users.values()) entries.push([ticketId, ...toTuple(user)]);
    }
    return entries;
  }

  /** A token bucket per user: a burst of `typingBurst` signals, then one per second. */
  private spend(userId: string, now: number): boolean {
    const budget = this.budgets.get(userId) ?? { tokens: typingBurst, at: now };
    budget.tokens = Math.min(typingBurst, budget.tokens + (now - budget.at) / 1000);
    budget.at = now;
    this.budgets.set(userId, budget);
    if (budget.tokens < 1) return false;
    budget.tokens -= 1;
    return true;
  }

  private mayShowTyping(sub: Subscriber, user: Viewer, internal: boolean): boolean {
    return sub.viewer.id !== user.id && (!internal || isAgent(sub.viewer));
  }

  private setTyping(ticketId: string, user: Viewer, on: boolean, internal: boolean): void {
    const typists = entryMap(this.typists, ticketId);
    const was = typists.get(user.id);
    if (on)
      typists.set(user.id, {
        user,
        internal,
        expiresAt: this.options.now() + this.options.typingTtlMs,
      });
    else typists.delete(user.id);
    if (typists.size === 0) this.typists.delete(ticketId);
    if (Boolean(was) === on) return; // a renewal, or a stop for someone not typing
    const shownInternal = internal || (was?.internal ?? false);
    this.options.emit(ticketId, (sub) =>
      this.mayShowTyping(sub, user, shownInternal)
        ? { type: 'typing', ticketId, data: { user, typing: on } }
        : null,
    );
  }

  private setViewer(ticketId: string, key: string, user: Viewer): void {
    const viewers = entryMap(this.viewers, ticketId);
    const isNew = !viewers.has(key);
    viewers.set(key, { user, expiresAt: this.options.now() + this.options.presenceTtlMs });
    if (isNew) this.options.emit(ticketId, (sub) => this.presenceFor(sub, ticketId));
  }

  private removeViewer(ticketId: string, key: string): void {
    const viewers = this.viewers.get(ticketId);
    if (!viewers?.delete(key)) return;
    if (viewers.size === 0) this.viewers.delete(ticketId);
    this.options.emit(ticketId, (sub) => this.presenceFor(sub, ticketId));
  }
}
