import { createHub, type Auth, type HubTuning, type LocalHub } from '@parley/api';
import { channels, closeDb, createDb, listenChannels, type Db } from '@parley/db';
import { errorFields, type Logger } from '../log';
import { openListenConnection } from './listen-connection';

export type StartHubOptions = {
  db: Db;
  auth: Auth;
  databaseUrl: string;
  /** The LISTEN connection's database (a pooler must keep it in session mode). */
  listenDatabaseUrl: string;
  logger: Logger;
  tuning?: Partial<HubTuning>;
  /** Also told when the event log grew (the notification pump's wake-up). */
  onLogGrew?: () => void;
};

/** The running hub of a server process: the API's hub fed by this process's LISTEN connection. */
export type RunningHub = LocalHub & {
  /** Backend pid of the LISTEN connection (null while it reconnects). */
  readonly listenPid: number | null;
};

/**
 * Starts the process's realtime hub: reads the head of the event log, then opens
 * the one LISTEN connection that wakes it, relays signals and session ends to it.
 */
export async function startHub(options: StartHubOptions): Promise<RunningHub> {
  const { logger } = options;
  // Delivery must not wait for a free connection behind request traffic.
  const liveDb = createDb(options.databaseUrl, { max: 2, applicationName: 'parley-hub' });
  const hub = createHub({
    db: options.db,
    liveDb,
    auth: options.auth,
    ...(options.tuning ? { tuning: options.tuning } : {}),
    onError: (message, error) => logger.warn(message, errorFields(error)),
  });
  let listen: Awaited<ReturnType<typeof openListenConnection>>;
  try {
    await hub.poll();
    listen = await openListenConnection({
      databaseUrl: options.listenDatabaseUrl,
      channels: listenChannels,
      applicationName: `parley-listen-${hub.id}`,
      onNotification: (channel, payload) => {
        // Before the hub closes the session's sockets: no call is let in by a stale entry.
        if (channel === channels.sessions) options.auth.sessionCache.ended(payload);
        hub.receive(channel, payload);
        if (channel === channels.events) options.onLogGrew?.();
      },
      onState: (up) => {
        if (up) logger.info('listening for events', { hub: hub.id });
        // Session-end notices arrive only while listening: cached sessions are trusted then.
        options.auth.sessionCache.setTrusted(up);
        hub.setListening(up);
      },
      onError: (message, error) => logger.warn(message, { hub: hub.id, ...errorFields(error) }),
    });
  } catch (error) {
    await hub.close();
    await closeDb(liveDb);
    throw error;
  }

  return {
    ...hub,
    get listenPid() {
      return listen.backendPid;
    },
    async close() {
      await hub.close();
      await listen.close();
      await closeDb(liveDb);
    },
  };
}
