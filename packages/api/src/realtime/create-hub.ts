import { randomBytes } from 'node:crypto';
import { channels, type Db } from '@parley/db';
import type { Auth } from '../auth/auth';
import { FanOut } from './fan-out';
import type { Hub, HubStats } from './hub';
import { createLiveLog } from './live-log';
import { createLiveSignals } from './live-signals';
import { SessionSockets } from './session-sockets';
import { createSubscriptions } from './subscriptions';
import { defaultHubTuning, type HubTuning } from './tuning';

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
  /** A notification arrived on one of `listenChannels`. */
  receive(channel: string, payload: string): void;
  /** The LISTEN connection is up (re-check sessions, then catch up) or down. */
  setListening(up: boolean): void;
  /** Reads the log now; resolves when what was committed before the call is dispatched. */
  poll(): Promise<void>;
};

/**
 * The process's realtime hub, composed of its parts: the live log (the `LogReader` and
 * its wake-ups) feeds the `FanOut`, which hands each event to the subscriptions that
 * may see it; `Ephemeral` signals (typing, presence) travel beside it; `SessionSockets`
 * closes the sockets of sessions that end. docs/architecture.md draws the pipeline.
 */
export function createHub(options: HubOptions): LocalHub {
  const { db } = options;
  const liveDb = options.liveDb ?? db;
  const tuning = { ...defaultHubTuning, ...options.tuning };
  const onError = options.onError ?? (() => {});
  const id = randomBytes(6).toString('hex');

  const fanOut = new FanOut();
  const sockets = new SessionSockets({
    db,
    auth: options.auth,
    onError: (error) => onError('re-validating a session failed', error),
  });
  const log = createLiveLog({
    db: liveDb,
    tuning,
    fanOut,
    recheckSessions: () => sockets.recheck(),
    onError,
  });
  const signals = createLiveSignals({ hubId: id, db: liveDb, tuning, fanOut, onError });
  const subscriptions = createSubscriptions({
    db,
    fanOut,
    tuning,
    ready: log.ready,
    signals,
    onError,
  });
  let closed = false;

  return {
    id,
    ticketStream: (params) => subscriptions.open(params),
    inboxStream: (params) => subscriptions.open({ ...params, ticketId: null }),
    typing: ({ viewer, ticketId, typing, internal }) =>
      signals.typing(viewer, ticketId, typing, internal),
    trackSocket: (socket) => sockets.track(socket),
    staffConnected: () => sockets.staffConnected,
    stats: (): HubStats => ({
      subscribers: fanOut.size,
      queued: fanOut.queued(),
      sockets: sockets.size,
      head: fanOut.head,
      listening: log.listening,
      sentStraight: fanOut.sentStraight,
      ...subscriptions.counters,
    }),
    receive(channel, payload) {
      if (channel === channels.events) log.wake();
      else if (channel === channels.signals) signals.receive(payload);
      else if (channel === channels.sessions) sockets.ended(payload);
    },
    setListening: (up) => log.setListening(up),
    poll: () => log.poll(),
    async close() {
      if (closed) return;
      closed = true;
      subscriptions.close();
      log.close();
      const signalsSent = signals.close();
      fanOut.closeAll();
      sockets.clear();
      await signalsSent;
    },
  };
}
