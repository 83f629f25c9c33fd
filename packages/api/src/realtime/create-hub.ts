import { randomBytes } from 'node:crypto';
import type { Db } from '@parley/db';
import { sql } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import type { Auth } from '../auth/auth';
import type { SocketHandle } from '../context';
import { parseLoggedEvent } from './events';
import { Ephemeral } from './ephemeral';
import { FanOut } from './fan-out';
import type { Hub, HubStats, SubscribeParams } from './hub';
import { LogReader } from './log-reader';
import { SessionSockets, sessionsChannel } from './session-sockets';
import { parseSignal, signalsChannel, type SignalMessage } from './signals';
import { streamEvents, type StreamDeps, type StreamLimits } from './stream';
import type { Subscriber } from './subscriber';

/** The NOTIFY channel the events table's trigger wakes readers on. */
export const eventsChannel = 'parley_events';
/** Every channel a hub's LISTEN connection must listen on. */
export const hubChannels = [eventsChannel, signalsChannel, sessionsChannel] as const;

export type HubTuning = StreamLimits & {
  /** Safety poll of the log when no wake-up came (a lost NOTIFY, a LISTEN outage). */
  pollMs: number;
  /** Rows per query of the process's log reader. */
  readBatch: number;
  maxSubscriptionsPerSocket: number;
  typingTtlMs: number;
  typingRenewMs: number;
  presenceHeartbeatMs: number;
  presenceTtlMs: number;
};

export const defaultHubTuning: HubTuning = {
  pollMs: 3000,
  readBatch: 500,
  queueLimit: 256,
  maxReplay: 10_000,
  replayBatch: 500,
  maxBufferedBytes: 1024 * 1024,
  maxSubscriptionsPerSocket: 50,
  typingTtlMs: 5000,
  typingRenewMs: 2000,
  presenceHeartbeatMs: 5000,
  presenceTtlMs: 15_000,
};

export type HubOptions = {
  /** Replays for reconnecting clients, session checks. */
  db: Db;
  /**
   * The live path: the log reader and signal publishing. A pool of its own keeps
   * delivery from queueing behind request traffic on `db`; defaults to `db`.
   */
  liveDb?: Db;
  auth: Pick<Auth, 'validate'>;
  tuning?: Partial<HubTuning>;
  onError?: (message: string, error: unknown) => void;
};

/**
 * A hub as its process drives it: the LISTEN connection (or a test) reports
 * notifications and the state of the connection.
 */
export type LocalHub = Hub & {
  /** A notification arrived on one of `hubChannels`. */
  receive(channel: string, payload: string): void;
  /** The LISTEN connection is up (catch up; re-check sessions) or down. */
  setListening(up: boolean): void;
  /** Reads the log now; resolves when what was committed before the call is dispatched. */
  poll(): Promise<void>;
};

/** The process's realtime hub: log reader, fan-out, ephemeral signals and session sockets. */
export function createHub(options: HubOptions): LocalHub {
  const { db } = options;
  const liveDb = options.liveDb ?? db;
  const tuning = { ...defaultHubTuning, ...options.tuning };
  const onError = options.onError ?? (() => {});
  const id = randomBytes(6).toString('hex');
  const fanOut = new FanOut();
  const counters = { overflows: 0, slowConsumersDropped: 0 };
  const perSocket = new WeakMap<SocketHandle, number>();
  let listening = false;
  let closed = false;

  const reader = new LogReader({
    db: liveDb,
    batchSize: tuning.readBatch,
    onRows: (rows) => {
      for (const row of rows) {
        const logged = parseLoggedEvent(row, onError);
        if (logged) fanOut.dispatch(logged);
      }
    },
    onError: (error) => onError('reading the event log failed', error),
  });

  const publisher = createPublisher(liveDb, (error) =>
    onError('publishing a signal failed', error),
  );
  const ephemeral = new Ephemeral({
    hubId: id,
    typingTtlMs: tuning.typingTtlMs,
    typingRenewMs: tuning.typingRenewMs,
    presenceHeartbeatMs: tuning.presenceHeartbeatMs,
    presenceTtlMs: tuning.presenceTtlMs,
    now: Date.now,
    publish: (message) => publisher.publish(message),
    emit: (ticketId, build) => fanOut.signal(ticketId, build),
  });

  const sockets = new SessionSockets({
    db,
    auth: options.auth,
    onError: (error) => onError('re-validating a session failed', error),
  });

  // Timers start with the first subscription, so an unused hub (router tests) costs nothing.
  let timers: NodeJS.Timeout[] = [];
  let started: Promise<void> | null = null;
  const ready = () => {
    started ??= reader.start().then(
      (cursor) => {
        if (cursor > fanOut.head) fanOut.head = cursor;
        if (closed) return;
        const tickMs = Math.min(1000, tuning.typingTtlMs / 5);
        timers = [
          setInterval(() => void reader.poke(), tuning.pollMs),
          setInterval(() => ephemeral.tick(), tickMs),
        ];
        for (const timer of timers) timer.unref();
      },
      (error: unknown) => {
        started = null;
        throw error;
      },
    );
    return started;
  };

  // Signals need the expiry timer even on a process without subscribers.
  const startInBackground = () => {
    ready().catch((error: unknown) => onError('starting the hub failed', error));
  };

  /** Presence and current typing for a ticket subscriber that (re)starts. */
  const sendSnapshot = (sub: Subscriber) => {
    if (sub.scope.kind !== 'ticket') return;
    const { ticketId } = sub.scope;
    sub.presenceKey = null;
    const presence = ephemeral.presenceFor(sub, ticketId);
    if (presence) sub.push({ kind: 'signal', event: presence });
    for (const event of ephemeral.typingFor(sub, ticketId)) sub.push({ kind: 'signal', event });
  };

  const streamDeps: StreamDeps = {
    db,
    onError,
    fanOut,
    limits: tuning,
    ready,
    opened: (sub) => {
      if (sub.scope.kind === 'ticket') ephemeral.join(sub.scope.ticketId, sub.viewer);
      sendSnapshot(sub);
    },
    resynced: sendSnapshot,
    closed: (sub) => {
      if (sub.scope.kind === 'ticket' && !closed) ephemeral.leave(sub.scope.ticketId, sub.viewer);
    },
    finished: ({ socket }) => {
      if (socket) perSocket.set(socket, (perSocket.get(socket) ?? 1) - 1);
    },
    overflowed: () => counters.overflows++,
    tooSlow: () => counters.slowConsumersDropped++,
    failed: (error) => onError('a subscription failed; its socket is closed for a retry', error),
  };

  const stream = (params: SubscribeParams & { ticketId: string | null }) => {
    const { socket } = params;
    const streams = socket ? (perSocket.get(socket) ?? 0) : 0;
    if (closed)
      throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'Server is shutting down' });
    if (socket && streams >= tuning.maxSubscriptionsPerSocket) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `At most ${tuning.maxSubscriptionsPerSocket} subscriptions per connection`,
      });
    }
    if (socket) perSocket.set(socket, streams + 1);
    return streamEvents(streamDeps, params);
  };

  return {
    id,
    ticketStream: (params) => stream(params),
    inboxStream: (params) => stream({ ...params, ticketId: null }),
    typing({ viewer, ticketId, typing, internal }) {
      startInBackground();
      ephemeral.typing(ticketId, viewer, typing, internal);
    },
    trackSocket: (socket) => sockets.track(socket),
    stats: (): HubStats => ({
      subscribers: fanOut.size,
      queued: fanOut.queued(),
      sockets: sockets.size,
      head: fanOut.head,
      listening,
      ...counters,
    }),

    receive(channel, payload) {
      if (channel === eventsChannel) {
        if (started) void reader.poke();
      } else if (channel === signalsChannel) {
        const message = parseSignal(payload);
        if (!message) return;
        startInBackground();
        ephemeral.receive(message);
      } else if (channel === sessionsChannel) {
        sockets.ended(payload);
      }
    },
    setListening(up) {
      listening = up;
      if (!up) return;
      // Whatever was committed while the connection was down is read now, and session
      // ends notified meanwhile are found by asking the database.
      if (started) void reader.poke();
      sockets
        .revalidateAll()
        .catch((error: unknown) => onError('re-validating sessions failed', error));
    },
    async poll() {
      await ready();
      await reader.poke();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearInterval(timer);
      ephemeral.leaveAll();
      fanOut.closeAll();
      sockets.clear();
      await publisher.flush();
    },
  };
}

/**
 * Sends signals through the pool, one statement at a time and in order (a `gone`
 * must not overtake its `here`); signals queued meanwhile go out together.
 */
function createPublisher(db: Db, onError: (error: unknown) => void) {
  let pending: string[] = [];
  let sending: Promise<void> | null = null;

  const send = async () => {
    while (pending.length > 0) {
      const batch = pending.slice(0, 50);
      pending = pending.slice(50);
      const calls = sql.join(
        batch.map((payload) => sql`pg_notify(${signalsChannel}, ${payload})`),
        sql`, `,
      );
      try {
        await db.execute(sql`select ${calls}`);
      } catch (error) {
        onError(error);
      }
    }
  };

  return {
    publish(message: SignalMessage): void {
      pending.push(JSON.stringify(message));
      sending ??= send().finally(() => {
        sending = null;
      });
    },
    async flush(): Promise<void> {
      await sending;
    },
  };
}
