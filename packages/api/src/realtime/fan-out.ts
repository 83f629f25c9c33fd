import { isAgent, mayReceive, type EphemeralEvent, type LoggedEvent } from './events';
import type { LiveItem, Subscriber } from './subscriber';

function addTo<K>(map: Map<K, Set<Subscriber>>, key: K, sub: Subscriber): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(sub);
}

function removeFrom<K>(map: Map<K, Set<Subscriber>>, key: K, sub: Subscriber): boolean {
  const set = map.get(key);
  if (!set?.delete(sub)) return false;
  if (set.size === 0) map.delete(key);
  return true;
}

/**
 * The process's registry of subscribers: tickets to their viewers, and inboxes
 * (every agent; each customer for their own tickets). Dispatch costs one lookup and
 * one push per recipient, and the event object is shared, never copied per subscriber.
 */
export class FanOut {
  /**
   * Cursor of the last event dispatched. A subscriber added now receives every event
   * after it, so `head` is where its replay from the log may stop.
   */
  head = 0;
  private readonly byTicket = new Map<string, Set<Subscriber>>();
  private readonly agentInboxes = new Set<Subscriber>();
  private readonly customerInboxes = new Map<string, Set<Subscriber>>();
  private count = 0;
  /** Events written straight to a socket, beside tRPC's pipeline (`direct-frames.ts`). */
  sentStraight = 0;
  /** Items still being handed out, oldest first, with the next recipient's index. */
  private backlog: { subs: Subscriber[]; items: LiveItem[]; next: number }[] = [];
  private flushing = false;

  /** @param chunk pushes (a subscriber, an item) per turn of the event loop. */
  constructor(private readonly chunk = 250) {}

  get size(): number {
    return this.count;
  }

  add(sub: Subscriber): void {
    if (sub.scope.kind === 'ticket') addTo(this.byTicket, sub.scope.ticketId, sub);
    else if (isAgent(sub.viewer)) this.agentInboxes.add(sub);
    else addTo(this.customerInboxes, sub.viewer.id, sub);
    this.count++;
  }

  remove(sub: Subscriber): void {
    let removed: boolean;
    if (sub.scope.kind === 'ticket') removed = removeFrom(this.byTicket, sub.scope.ticketId, sub);
    else if (isAgent(sub.viewer)) removed = this.agentInboxes.delete(sub);
    else removed = removeFrom(this.customerInboxes, sub.viewer.id, sub);
    if (removed) this.count--;
  }

  /**
   * Hands logged events (a batch read from the log, in cursor order) to everyone who
   * may see them. Each recipient gets all of its events together, and at most `chunk`
   * pushes happen now, the rest in later turns of the event loop (`deliver`): the first
   * watchers of a broadcast to thousands are written at once, not after the last one is
   * woken, and requests interleave with the fan-out.
   */
  dispatch(batch: readonly LoggedEvent[]): void {
    const subs: Subscriber[] = [];
    const items: LiveItem[] = [];
    // One event (the usual case): recipients in order. Several: grouped by recipient.
    const grouped = batch.length > 1 ? new Map<Subscriber, LiveItem[]>() : null;
    const add = (sub: Subscriber, item: LiveItem) => {
      if (!grouped) {
        subs.push(sub);
        items.push(item);
        return;
      }
      const own = grouped.get(sub);
      if (own) own.push(item);
      else grouped.set(sub, [item]);
    };
    for (const logged of batch) {
      if (logged.cursor <= this.head) continue;
      this.head = logged.cursor;
      const item = { kind: 'event', logged } as const;
      for (const sub of this.byTicket.get(logged.event.ticketId) ?? []) {
        if (mayReceive(sub.viewer, logged)) add(sub, item);
      }
      for (const sub of this.agentInboxes) add(sub, item);
      if (logged.audience === 'all') {
        for (const sub of this.customerInboxes.get(logged.customerId) ?? []) add(sub, item);
      }
    }
    for (const [sub, own] of grouped ?? []) {
      for (const item of own) {
        subs.push(sub);
        items.push(item);
      }
    }
    this.deliver(subs, items);
  }

  /** Sends an ephemeral signal to a ticket's subscribers; `build` decides per subscriber (null: skip). */
  signal(ticketId: string, build: (sub: Subscriber) => EphemeralEvent | null): void {
    const subs: Subscriber[] = [];
    const items: LiveItem[] = [];
    for (const sub of this.byTicket.get(ticketId) ?? []) {
      const event = build(sub);
      if (event) {
        subs.push(sub);
        items.push({ kind: 'signal', event });
      }
    }
    // Behind any event still being handed out, so a subscriber's items keep their order.
    this.deliver(subs, items);
  }

  /** Pushes `items[i]` to `subs[i]`, after everything handed out before, `chunk` per turn. */
  private deliver(subs: Subscriber[], items: LiveItem[]): void {
    if (!subs.length) return;
    this.backlog.push({ subs, items, next: 0 });
    if (!this.flushing) this.flush();
  }

  private readonly flush = (): void => {
    let budget = this.chunk;
    for (let work = this.backlog[0]; work && budget > 0; work = this.backlog[0]) {
      const end = Math.min(work.subs.length, work.next + budget);
      for (let i = work.next; i < end; i++) {
        if (work.subs[i]?.push(work.items[i] as LiveItem)) this.sentStraight++;
      }
      budget -= end - work.next;
      work.next = end;
      if (end === work.subs.length) this.backlog.shift();
    }
    this.flushing = this.backlog.length > 0;
    if (this.flushing) setImmediate(this.flush);
  };

  /** Items waiting in all queues right now (for stats: it must stay bounded). */
  queued(): number {
    let n = 0;
    for (const set of [
      ...this.byTicket.values(),
      this.agentInboxes,
      ...this.customerInboxes.values(),
    ]) {
      for (const sub of set) n += sub.size;
    }
    return n;
  }

  closeAll(): void {
    for (const set of [
      ...this.byTicket.values(),
      this.agentInboxes,
      ...this.customerInboxes.values(),
    ]) {
      for (const sub of set) sub.close();
    }
    this.backlog = [];
    this.byTicket.clear();
    this.agentInboxes.clear();
    this.customerInboxes.clear();
    this.count = 0;
  }
}
