import type { Db } from '@parley/db';
import { AppError } from '../errors';
import type { FanOut } from './fan-out';
import type { SocketHandle } from './socket-handle';
import { streamEvents, type StreamDeps, type StreamParams } from './stream';
import type { Subscriber } from './subscriber';
import type { HubTuning } from './tuning';

export type Subscriptions = ReturnType<typeof createSubscriptions>;

/**
 * Opens a hub's streams: refuses them once the hub is closing or a socket holds its
 * share, counts them per socket, and counts overflows and dropped slow consumers.
 */
export function createSubscriptions(options: {
  /** Replays for reconnecting clients. */
  db: Db;
  fanOut: FanOut;
  tuning: Pick<
    HubTuning,
    'queueLimit' | 'maxReplay' | 'replayBatch' | 'maxBufferedBytes' | 'maxSubscriptionsPerSocket'
  >;
  /** Resolves once the live path is running (the first subscription starts it). */
  ready: () => Promise<void>;
  /** Typing and presence: told when a subscriber starts, re-syncs and ends. */
  signals: {
    opened(sub: Subscriber): void;
    resynced(sub: Subscriber): void;
    closed(sub: Subscriber): void;
  };
  onError: (message: string, error: unknown) => void;
}) {
  const { tuning, signals } = options;
  const counters = { overflows: 0, slowConsumersDropped: 0 };
  const perSocket = new WeakMap<SocketHandle, number>();
  let closed = false;

  const deps: StreamDeps = {
    db: options.db,
    fanOut: options.fanOut,
    limits: tuning,
    ready: options.ready,
    onError: options.onError,
    opened: (sub) => signals.opened(sub),
    resynced: (sub) => signals.resynced(sub),
    closed: (sub) => signals.closed(sub),
    finished: ({ socket }) => {
      if (socket) perSocket.set(socket, (perSocket.get(socket) ?? 1) - 1);
    },
    overflowed: () => counters.overflows++,
    tooSlow: () => counters.slowConsumersDropped++,
    failed: (error) =>
      options.onError('a subscription failed; its socket is closed for a retry', error),
  };

  return {
    counters,
    /** Starts a stream; throws (before it starts) when the hub is closing or the socket is full. */
    open(params: StreamParams) {
      const { socket } = params;
      const streams = socket ? (perSocket.get(socket) ?? 0) : 0;
      if (closed) throw new AppError('UNAVAILABLE', 'Server is shutting down');
      if (socket && streams >= tuning.maxSubscriptionsPerSocket) {
        throw new AppError(
          'RATE_LIMITED',
          `At most ${tuning.maxSubscriptionsPerSocket} subscriptions per connection`,
        );
      }
      if (socket) perSocket.set(socket, streams + 1);
      return streamEvents(deps, params);
    },
    /** Refuses new streams (the hub is closing). */
    close(): void {
      closed = true;
    },
  };
}
