import { isAgent, mayReceive, type EphemeralEvent, type LoggedEvent } from './events';
import type { Subscriber } from './subscriber';

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

  /** Hands a logged event to everyone who may see it, in cursor order. */
  dispatch(logged: LoggedEvent): void {
    if (logged.cursor <= this.head) return;
    this.head = logged.cursor;
    const item = { kind: 'event', logged } as const;
    for (const sub of this.byTicket.get(logged.event.ticketId) ?? []) {
      if (mayReceive(sub.viewer, logged)) sub.push(item);
    }
    for (const sub of this.agentInboxes) sub.push(item);
    if (logged.audience === 'all') {
      for (const sub of this.customerInboxes.get(logged.customerId) ?? []) sub.push(item);
    }
  }

  /** Sends an ephemeral signal to a ticket's subscribers; `build` decides per subscriber (null: skip). */
  signal(ticketId: string, build: (sub: Subscriber) => EphemeralEvent | null): void {
    for (const sub of this.byTicket.get(ticketId) ?? []) {
      const event = build(sub);
      if (event) sub.push({ kind: 'signal', event });
    }
  }

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
    this.byTicket.clear();
    this.agentInboxes.clear();
    this.customerInboxes.clear();
    this.count = 0;
  }
}
