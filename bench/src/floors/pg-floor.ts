import pg from 'pg';
import { nowMs, sleep, waitUntil } from '../harness/clock';
import { createHistogram, encodeHistogram, recordMs } from '../harness/histogram';
import { runOpenLoop } from '../harness/open-loop';
import { sampleProcess } from '../harness/process-stats';

/**
 * Raw PostgreSQL floors, measured with plain `pg` on the same server and database as
 * Parley in the same run: what any design on this machine pays at the least.
 */
const table = 'bench_floor_events';
const channel = 'bench_floor';

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'parley-bench-floor' });
  await client.connect();
  return client;
}

async function ensureTable(url: string): Promise<void> {
  const client = await connect(url);
  try {
    await client.query('SET client_min_messages = warning');
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${table} (id bigserial PRIMARY KEY, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
    );
  } finally {
    await client.end();
  }
}

/** One transaction as small as Parley's could be: INSERT one row and NOTIFY, then COMMIT. */
async function insertAndNotify(client: pg.Client, tag: string): Promise<void> {
  await client.query('BEGIN');
  await client.query(`INSERT INTO ${table} (payload) VALUES ($1)`, [
    { tag, body: 'x'.repeat(100) },
  ]);
  await client.query('SELECT pg_notify($1, $2)', [channel, tag]);
  await client.query('COMMIT');
}

/** A fixed set of connections handed out in turn; a caller waits when all are busy. */
class ClientPool {
  private readonly idle: pg.Client[];
  private readonly waiting: Array<(client: pg.Client) => void> = [];
  constructor(readonly all: pg.Client[]) {
    this.idle = [...all];
  }
  async use<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client =
      this.idle.pop() ?? (await new Promise<pg.Client>((resolve) => this.waiting.push(resolve)));
    try {
      return await work(client);
    } finally {
      const next = this.waiting.shift();
      if (next) next(client);
      else this.idle.push(client);
    }
  }
  async end(): Promise<void> {
    await Promise.all(this.all.map((c) => c.end()));
  }
}

export const pgFloorHandlers = {
  /**
   * INSERT+NOTIFY transactions at a constant rate, each timed from its intended start
   * to the LISTEN callback of a second connection in this process.
   */
  async 'floor.pgNotifyLatency'(args: {
    url: string;
    rate: number;
    durationMs: number;
    warmupMs: number;
    clients: number;
  }) {
    await ensureTable(args.url);
    const listener = await connect(args.url);
    await listener.query(`LISTEN ${channel}`);
    const pool = new ClientPool(
      await Promise.all(Array.from({ length: args.clients }, () => connect(args.url))),
    );
    const intended = new Map<string, number>();
    const latency = createHistogram();
    let delivered = 0;
    let failed = 0;
    const start = nowMs() + 50;
    const recordFrom = start + args.warmupMs;
    listener.on('notification', (n) => {
      const receivedAt = nowMs();
      const at = intended.get(n.payload ?? '');
      if (at === undefined) return;
      intended.delete(n.payload ?? '');
      delivered++;
      if (at >= recordFrom) recordMs(latency, receivedAt - at);
    });
    const before = sampleProcess();
    const loop = await runOpenLoop({
      rate: args.rate,
      durationMs: args.durationMs,
      startAt: start,
      fire: (intendedAt, index) => {
        const tag = String(index);
        intended.set(tag, intendedAt);
        void pool.use((client) => insertAndNotify(client, tag)).catch(() => failed++);
      },
    });
    await waitUntil(() => delivered + failed >= loop.fired, 10_000);
    const after = sampleProcess();
    await pool.end();
    await listener.end();
    return {
      fired: loop.fired,
      delivered,
      failed,
      latency: encodeHistogram(latency),
      before,
      after,
    };
  },

  /** As many INSERT+NOTIFY transactions as `clients` connections can commit (closed loop). */
  async 'floor.pgNotifyThroughput'(args: { url: string; clients: number; durationMs: number }) {
    await ensureTable(args.url);
    const listener = await connect(args.url);
    await listener.query(`LISTEN ${channel}`);
    let notified = 0;
    listener.on('notification', () => notified++);
    const clients = await Promise.all(
      Array.from({ length: args.clients }, () => connect(args.url)),
    );
    let committed = 0;
    const started = nowMs();
    const until = started + args.durationMs;
    await Promise.all(
      clients.map(async (client, lane) => {
        for (let i = 0; nowMs() < until; i++) {
          await insertAndNotify(client, `${lane}:${i}`);
          committed++;
        }
      }),
    );
    const elapsed = nowMs() - started;
    await waitUntil(() => notified >= committed, 5_000);
    await Promise.all(clients.map((c) => c.end()));
    await listener.end();
    return { committed, notified, perSecond: Math.round((committed / elapsed) * 1000) };
  },

  /** `SELECT 1` round trips, one after another on one connection. */
  async 'floor.selectOne'(args: { url: string; count: number }) {
    const client = await connect(args.url);
    const latency = createHistogram();
    for (let i = 0; i < 200; i++) await client.query('SELECT 1');
    for (let i = 0; i < args.count; i++) {
      const started = nowMs();
      await client.query('SELECT 1');
      recordMs(latency, nowMs() - started);
    }
    await client.end();
    return { latency: encodeHistogram(latency) };
  },

  /** Reads a ticket's events after a cursor from the log in batches, as a replay would. */
  async 'floor.readEvents'(args: {
    url: string;
    ticketId: string;
    afterId: number;
    batch: number;
    repeat: number;
  }) {
    const client = await connect(args.url);
    const times: number[] = [];
    let rows = 0;
    for (let r = 0; r < args.repeat; r++) {
      const started = nowMs();
      let cursor = args.afterId;
      rows = 0;
      for (;;) {
        const result = await client.query<{ id: string }>(
          'SELECT * FROM events WHERE ticket_id = $1 AND id > $2 ORDER BY id LIMIT $3',
          [args.ticketId, cursor, args.batch],
        );
        rows += result.rows.length;
        const last = result.rows.at(-1);
        if (!last || result.rows.length < args.batch) break;
        cursor = Number(last.id);
      }
      times.push(nowMs() - started);
      await sleep(50);
    }
    await client.end();
    return { rows, times };
  },
};
