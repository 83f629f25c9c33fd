import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import type { QuerySpec } from '../clients/queries';
import { nowMs } from '../harness/clock';
import { benchRoot } from '../harness/database';
import { explainSlowest } from '../harness/explain';
import { mergeEncoded, summarize, type LatencySummary } from '../harness/histogram';
import { row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';

const full = { tickets: 100_000, listRate: 20, listSeconds: 40, statsRate: 4, statsSeconds: 30 };
const quick = { tickets: 500, listRate: 20, listSeconds: 2, statsRate: 5, statsSeconds: 2 };

/** `pnpm parley seed --tickets N` against the scenario's database. */
async function seed(databaseUrl: string, tickets: number): Promise<number> {
  const started = nowMs();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      'pnpm',
      ['--silent', 'parley', 'seed', '--tickets', String(tickets), '--messages-per-ticket', '10'],
      {
        cwd: path.resolve(benchRoot, '..'),
        env: { ...process.env, DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`pnpm parley seed exited with code ${code}:\n${output.slice(-2000)}`)),
    );
  });
  return Math.round((nowMs() - started) / 1000);
}

/** Search words from the seeded data: one common (~5% of tickets), one rare. */
async function searchWords(
  url: string,
): Promise<{ common: string; rare: string; counts: Record<string, number> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sample = 2000;
    const { rows } = await client.query<{ word: string; ndoc: number }>(
      `SELECT word, ndoc FROM ts_stat($$SELECT public FROM ticket_search LIMIT ${sample}$$) WHERE word ~ '^[a-z]{4,}$' ORDER BY ndoc DESC`,
    );
    const closest = (target: number) =>
      rows.reduce(
        (best, r) => (Math.abs(r.ndoc - target) < Math.abs(best.ndoc - target) ? r : best),
        rows[0] ?? { word: 'refund', ndoc: 0 },
      );
    const common = closest(sample * 0.05).word;
    const rare = closest(3).word;
    const counts: Record<string, number> = {};
    for (const [name, row] of [
      ['messages', 'SELECT count(*)::int AS n FROM messages'],
      ['tickets', 'SELECT count(*)::int AS n FROM tickets'],
    ] as const) {
      counts[name] = (await client.query<{ n: number }>(row)).rows[0]?.n ?? 0;
    }
    return { common, rare, counts };
  } finally {
    await client.end();
  }
}

/** B6: the agents' queue and dashboard on a large seeded database. */
export const b6: Scenario = {
  name: 'B6',
  title: 'Queue at scale: tickets.list with filters and q, tickets.stats',
  async run(options) {
    const size = options.quick ? quick : full;
    const rig = await Rig.open('B6', options, 1);
    try {
      rig.log(`seeding ${size.tickets} tickets with pnpm parley seed`);
      const seedSeconds = await seed(rig.scratch.url, size.tickets);
      const words = await searchWords(rig.scratch.url);
      rig.log(
        `seeded in ${seedSeconds} s: ${JSON.stringify(words.counts)}; search words "${words.common}" (common), "${words.rare}" (rare)`,
      );
      await rig.fixtures.db.$client.query('VACUUM ANALYZE');

      const server = await rig.parleyServer({ BENCH_AUTO_CLOSE: 'off' });
      rig.notes.push(
        'The auto-close job is off in B6: its first pass over freshly seeded history closes thousands of old resolved tickets (10,939 in one run), which would be measured along with the queries.',
      );
      const [agent] = await rig.fixtures.signedIn('agent', 1, 'B6-a');
      const worker = rig.workers[0];
      if (!agent || !worker) throw new Error('setup failed');
      const lists: QuerySpec[] = [
        { name: 'healthz (floor: HTTP + SELECT 1)', path: 'healthz', input: null },
        {
          name: 'list status=open,in_progress',
          path: 'tickets.list',
          input: { status: ['open', 'in_progress'] },
        },
        {
          name: 'list priority+category',
          path: 'tickets.list',
          input: { priority: ['urgent', 'high'], category: ['payment', 'technical'] },
        },
        {
          name: 'list unassigned open, created_desc',
          path: 'tickets.list',
          input: { assignee: 'unassigned', status: ['open'], sort: 'created_desc' },
        },
        { name: 'list sort=priority_desc', path: 'tickets.list', input: { sort: 'priority_desc' } },
        { name: `list q=common word`, path: 'tickets.list', input: { q: words.common } },
        {
          name: `list q=rarer word + status`,
          path: 'tickets.list',
          input: { q: words.rare, status: ['open', 'in_progress', 'waiting_customer'] },
        },
      ];
      const listRun = await rig.metered('parley tickets.list', [server], () =>
        worker.call('queries.run', {
          httpUrl: server.url,
          token: agent.token,
          specs: lists,
          rate: size.listRate,
          durationMs: size.listSeconds * 1000,
          warmupMs: Math.min(1000, size.listSeconds * 200),
        }),
      );
      const statsRun = await rig.metered('parley tickets.stats', [server], () =>
        worker.call('queries.run', {
          httpUrl: server.url,
          token: agent.token,
          specs: [{ name: 'stats', path: 'tickets.stats', input: undefined }],
          rate: size.statsRate,
          durationMs: size.statsSeconds * 1000,
          warmupMs: 500,
        }),
      );
      for (const run of [listRun, statsRun]) {
        if (run.failed) rig.problem(`${run.failed} queries failed: ${run.failures.join('; ')}`);
      }
      const summaries: Record<string, LatencySummary> = {};
      for (const [name, encoded] of Object.entries({
        ...listRun.histograms,
        ...statsRun.histograms,
      })) {
        summaries[name] = summarize(mergeEncoded([encoded]));
        rig.log(
          `${name}: p50 ${summaries[name].p50} p95 ${summaries[name].p95} p99 ${summaries[name].p99} ms`,
        );
      }
      // The evidence: the plans of the slowest statements behind the lists and the stats.
      const explain = await explainSlowest(
        rig.fixtures.db.$client,
        [
          ...(rig.queries['parley tickets.list'] ?? []),
          ...(rig.queries['parley tickets.stats'] ?? []),
        ],
        6,
      );
      for (const e of explain) {
        rig.log(
          `slowest call ${e.maxMs} ms of ${e.calls}; re-run: ${e.plan.at(-1) ?? ''}: ${e.sql.replace(/\s+/g, ' ').trim().slice(0, 90)}…`,
        );
      }
      const floorName = lists[0]?.name ?? '';
      const floorP95 = summaries[floorName]?.p95 ?? null;
      const selectOne = await worker.call('floor.selectOne', { url: rig.scratch.url, count: 2000 });
      const select = summarize(mergeEncoded([selectOne.latency]));
      const listNames = lists.slice(1).map((l) => l.name);
      const worst = listNames.reduce((a, b) =>
        (summaries[a]?.p95 ?? 0) >= (summaries[b]?.p95 ?? 0) ? a : b,
      );
      const floor = { value: floorP95, label: 'GET /healthz p95 (HTTP + SELECT 1)' };
      const rows = [
        row(
          `tickets.list p95, worst filter (${worst})`,
          summaries[worst]?.p95 ?? null,
          'ms',
          floor,
          { max: 50 },
        ),
        ...listNames
          .filter((n) => n !== worst)
          .map((n) =>
            row(`tickets.list p95: ${n}`, summaries[n]?.p95 ?? null, 'ms', floor, { max: 50 }),
          ),
        row('tickets.stats p95', summaries.stats?.p95 ?? null, 'ms', floor, { max: 100 }),
      ];
      return rig.result(b6.title, { ...size, ...words.counts }, rows, {
        seedSeconds,
        words: { common: words.common, rare: words.rare },
        latency: summaries,
        floors: { selectOne: select, healthz: summaries[floorName] },
        explain,
      });
    } finally {
      await rig.close();
    }
  },
};
