import pg from 'pg';

export type ListenConnectionOptions = {
  databaseUrl: string;
  channels: readonly string[];
  /** Shown in `pg_stat_activity.application_name` (operators and tests find it there). */
  applicationName: string;
  onNotification: (channel: string, payload: string) => void;
  /** Called after every (re)connect, once LISTEN is in place, and on every loss. */
  onState: (up: boolean) => void;
  onError: (message: string, error: unknown) => void;
  /** A round trip on the connection this often proves it is alive (half-open TCP). */
  healthCheckMs?: number;
  /** Reconnect delays grow from `minBackoffMs` to `maxBackoffMs`, with jitter. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Losses and failures are reported this much later, unless closed meanwhile. */
  quietMs?: number;
};

export type ListenConnection = {
  /** The backend pid of the current connection, or null while down. */
  readonly backendPid: number | null;
  close(): Promise<void>;
};

/**
 * The process's one LISTEN connection: a dedicated client, not from the pool (a
 * pooled or PgBouncer transaction-mode connection would lose its LISTEN). It
 * reconnects by itself with exponential backoff and jitter; the hub catches up
 * from its cursor on every reconnect, so nothing is lost while it was down.
 */
export async function openListenConnection(
  options: ListenConnectionOptions,
): Promise<ListenConnection> {
  const healthCheckMs = options.healthCheckMs ?? 10_000;
  const minBackoffMs = options.minBackoffMs ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 5000;
  const quietMs = options.quietMs ?? 2000;
  let client: pg.Client | null = null;
  let backendPid: number | null = null;
  let closed = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | null = null;
  let health: NodeJS.Timeout | null = null;

  /**
   * Reports a loss or a failed reconnect a moment later, and not at all once closed:
   * on Ctrl-C the terminal's SIGINT reaches Postgres too, which may drop this connection
   * before the server's shutdown has closed it. A real outage is still reported.
   */
  const report = (message: string, error: unknown) => {
    setTimeout(() => {
      if (!closed) options.onError(message, error);
    }, quietMs).unref();
  };

  const lost = (current: pg.Client, error: unknown) => {
    if (client !== current) return;
    client = null;
    backendPid = null;
    if (health) clearInterval(health);
    health = null;
    current.removeAllListeners('notification');
    // A dead connection's end() may never settle; it is only cleanup.
    current.end().catch(() => {});
    if (closed) return;
    report('LISTEN connection lost', error);
    options.onState(false);
    scheduleReconnect();
  };

  const scheduleReconnect = () => {
    const ceiling = Math.min(maxBackoffMs, minBackoffMs * 2 ** attempt++);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    retry = setTimeout(() => {
      retry = null;
      connect().catch((error: unknown) => {
        if (closed) return;
        report('LISTEN connection failed', error);
        scheduleReconnect();
      });
    }, delay);
  };

  const connect = async () => {
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: options.applicationName,
      keepAlive: true,
      // A half-open connection must fail its health check, not hang it.
      query_timeout: healthCheckMs,
    });
    // Errors before `client` is set reject connect() below; later ones mean the connection died.
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('connection ended')));
    try {
      await next.connect();
      for (const channel of options.channels)
        await next.query(`LISTEN ${next.escapeIdentifier(channel)}`);
      const result = await next.query<{ pid: number }>('select pg_backend_pid() as pid');
      if (closed) throw new Error('closed while connecting');
      next.on('notification', (message) =>
        options.onNotification(message.channel, message.payload ?? ''),
      );
      client = next;
      backendPid = result.rows[0]?.pid ?? null;
    } catch (error) {
      next.removeAllListeners('end');
      next.removeAllListeners('error');
      next.on('error', () => {});
      await next.end().catch(() => {});
      throw error;
    }
    attempt = 0;
    health = setInterval(() => {
      next.query('select 1').catch((error: unknown) => lost(next, error));
    }, healthCheckMs);
    health.unref();
    options.onState(true);
  };

  await connect();

  return {
    get backendPid() {
      return backendPid;
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      if (health) clearInterval(health);
      const current = client;
      client = null;
      backendPid = null;
      if (current) {
        current.removeAllListeners();
        current.on('error', () => {});
        await current.end().catch(() => {});
      }
    },
  };
}
