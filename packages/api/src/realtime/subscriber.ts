import { dataFrame, reportingPrefix } from './direct-frames';
import type { EphemeralEvent, LoggedEvent, Viewer } from './events';
import type { SocketHandle } from './socket-handle';

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
  /** The cursor of the last logged event sent, by the stream or straight to the socket. */
  cursor = 0;
  /** How this subscription's frames start, once tRPC has sent one (see `direct-frames.ts`). */
  private framePrefix: string | null = null;

  constructor(
    readonly viewer: Viewer,
    readonly scope: SubscriberScope,
    private readonly limit: number,
    private readonly onOverflow: () => void = () => {},
    /**
     * Its connection (over WebSocket): what is pushed in one turn is written together,
     * and a live event finding the stream idle is written straight to it, unless more
     * than `maxBufferedBytes` wait unsent there (the stream then drops the socket).
     */
    private readonly socket: SocketHandle | null = null,
    private readonly maxBufferedBytes = Infinity,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues `item`, or writes it straight to the socket (then true; see `sentStraight`). */
  push(item: LiveItem): boolean {
    if (this.closed || this.lost) return false;
    this.socket?.holdWrites();
    if (item.kind === 'event' && this.sentStraight(item.logged)) return true;
    if (this.items.length >= this.limit) {
      this.items = [];
      this.lost = true;
      this.onOverflow();
    } else {
      this.items.push(item);
    }
    this.notify();
    return false;
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

  /**
   * What the stream hands to tRPC: until tRPC has sent one frame of this subscription,
   * a copy that reports how its frames start.
   */
  viaTrpc<T extends object>(data: T): T {
    if (this.framePrefix !== null || !this.socket) return data;
    return reportingPrefix(data, (prefix) => {
      this.framePrefix = prefix;
    });
  }

  /**
   * Writes a live event straight to the socket, in tRPC's frame, when the stream waits
   * with nothing queued: everything it yielded before has been written, so order holds.
   * True when the event needs nothing more (sent now, or sent before).
   */
  private sentStraight(logged: LoggedEvent): boolean {
    if (this.framePrefix === null || !this.socket || !this.wake) return false;
    if (logged.cursor <= this.cursor) return true;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) return false;
    this.socket.send(dataFrame(this.framePrefix, logged));
    this.cursor = logged.cursor;
    return true;
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
