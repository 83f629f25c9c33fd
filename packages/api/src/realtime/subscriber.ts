import type { EphemeralEvent, LoggedEvent, Viewer } from './events';

/** What a subscriber's queue holds: logged events and ephemeral signals, in arrival order. */
export type LiveItem =
  { kind: 'event'; logged: LoggedEvent } | { kind: 'signal'; event: EphemeralEvent };

/** What the consumer gets next from its queue. */
export type Pull =
  | LiveItem
  /** The queue overflowed and was emptied: catch up from the log, then continue. */
  | { kind: 'lost' }
  | { kind: 'closed' };

export type SubscriberScope = { kind: 'ticket'; ticketId: string } | { kind: 'inbox' };

/**
 * One subscription's bounded queue. The hub pushes; the stream pulls. A queue that
 * fills up is not allowed to grow: it is emptied and marked lost, and the consumer
 * re-reads what it missed from the event log (the log is the truth, the queue only
 * a shortcut). Hand-written rather than an EventEmitter per subscriber: it is the
 * per-connection memory that decides how many sockets a process holds.
 */
export class Subscriber {
  private items: LiveItem[] = [];
  private wake: (() => void) | null = null;
  private lost = false;
  private closed = false;
  /** The viewer ids of the last presence event sent, so an unchanged set is not repeated. */
  presenceKey: string | null = null;

  constructor(
    readonly viewer: Viewer,
    readonly scope: SubscriberScope,
    private readonly limit: number,
    private readonly onOverflow: () => void = () => {},
  ) {}

  get size(): number {
    return this.items.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(item: LiveItem): void {
    if (this.closed || this.lost) return;
    if (this.items.length >= this.limit) {
      this.items = [];
      this.lost = true;
      this.onOverflow();
    } else {
      this.items.push(item);
    }
    this.notify();
  }

  /**
   * Clears the lost mark. Call it synchronously together with reading the hub's
   * cursor: everything after that cursor is queued again from this moment.
   */
  recover(): void {
    this.lost = false;
  }

  close(): void {
    this.closed = true;
    this.items = [];
    this.notify();
  }

  /** The next item, waiting for one if the queue is empty. */
  async next(): Promise<Pull> {
    for (;;) {
      if (this.closed) return { kind: 'closed' };
      if (this.lost) return { kind: 'lost' };
      const item = this.items.shift();
      if (item) return item;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
