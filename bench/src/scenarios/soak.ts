import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';
import { deliveryProblems, loadPhase, setUpTicketWatchers } from './message-rig';

/**
 * docs/test-plan.md 26: a long soak at half the measured capacity. The rate is half of what
 * B2 sustained on this machine (its latest full result), or `BENCH_SOAK_RATE`.
 */
const full = { subscribers: 500, perTicket: 5, segments: 10, segmentSeconds: 60 };
const quick = { subscribers: 50, perTicket: 5, segments: 3, segmentSeconds: 3 };

async function soakRate(rig: Rig, quickMode: boolean): Promise<{ rate: number; from: string }> {
  const fromEnv = Number(process.env.BENCH_SOAK_RATE);
  if (fromEnv > 0) return { rate: fromEnv, from: 'BENCH_SOAK_RATE' };
  if (quickMode) return { rate: 20, from: 'quick mode' };
  try {
    const b2 = JSON.parse(await readFile(`${rig.options.resultsDir}/B2.json`, 'utf8')) as {
      rows: Array<{ metric: string; value: number | null }>;
    };
    const sustained = b2.rows.find((r) => r.metric.startsWith('knee'))?.value;
    if (sustained && sustained > 0) {
      return { rate: Math.max(1, Math.round(sustained / 2)), from: 'half of B2 (results/B2.json)' };
    }
  } catch {
    // No B2 result yet: the fallback below.
  }
  return { rate: 50, from: 'default (no B2 result)' };
}

/** `pg_notification_queue_usage()`: the fraction of the NOTIFY queue in use (0–1). */
async function notifyQueueUsage(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ usage: number }>(
      'select pg_notification_queue_usage() as usage',
    );
    return Number(rows[0]?.usage ?? 0);
  } finally {
    await client.end();
  }
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/**
 * SOAK: the B1 topology at a steady half-capacity rate for many segments in a row.
 * After each segment: the server's heap and RSS after a full GC, and the NOTIFY queue
 * usage. Memory must stay flat (the last segments no higher than the early ones, give
 * or take noise) and the queue near empty; every delivery complete and in order.
 */
export const soak: Scenario = {
  name: 'SOAK',
  title: 'Soak: half capacity for many minutes, memory and NOTIFY queue',
  optIn: true,
  async run(options) {
    const size = options.quick ? quick : full;
    const tickets = size.subscribers / size.perTicket;
    const rig = await Rig.open('SOAK', options, 2);
    try {
      const { rate, from } = await soakRate(rig, options.quick);
      const server = await rig.parleyServer();
      const sockets = await setUpTicketWatchers(rig, server, tickets, size.perTicket);
      rig.log(
        `${sockets} subscribers; ${rate} msg/s (${from}) for ${size.segments} × ${size.segmentSeconds} s`,
      );
      const samples: Array<{ heapMb: number; rssMb: number; notifyQueue: number }> = [];
      let delivered = 0;
      let expected = 0;
      await rig.metered('parley', [server], async () => {
        for (let segment = 0; segment < size.segments; segment++) {
          const phase = await loadPhase(rig, rate, size.segmentSeconds, 0, 30_000);
          for (const problem of deliveryProblems(phase))
            rig.problem(`segment ${segment + 1}: ${problem}`);
          delivered += phase.deliveries;
          expected += phase.expectedDeliveries;
          const sample = await server.call('sample', { collect: true });
          const notifyQueue = await notifyQueueUsage(rig.scratch.url);
          samples.push({
            heapMb: mb(sample.heapUsedBytes),
            rssMb: mb(sample.rssBytes),
            notifyQueue,
          });
          rig.log(
            `segment ${segment + 1}: p99 ${phase.latency.p99} ms, heap ${mb(sample.heapUsedBytes)} MB, rss ${mb(sample.rssBytes)} MB, NOTIFY queue ${notifyQueue}`,
          );
        }
      });

      // The first segment warms caches and pools: growth is measured from the second.
      const base = samples[Math.min(1, samples.length - 1)]!;
      const last = samples[samples.length - 1]!;
      const heapGrowth = Math.round(((last.heapMb - base.heapMb) / base.heapMb) * 1000) / 10;
      const rssGrowth = Math.round(((last.rssMb - base.rssMb) / base.rssMb) * 1000) / 10;
      const maxQueue = Math.max(...samples.map((s) => s.notifyQueue));
      const rows = [
        row('heap after GC, last vs second segment', heapGrowth, '%', null, { max: 10 }),
        row('RSS, last vs second segment', rssGrowth, '%', null, { max: 10 }),
        row('NOTIFY queue usage, max', maxQueue, '', null, { max: 0.001, text: '≈ 0' }),
        row(
          'delivered, complete and in order',
          expected ? Math.floor((delivered / expected) * 10000) / 100 : 0,
          '%',
          null,
          { min: 100 },
        ),
      ];
      return rig.result(soak.title, { ...size, tickets, rate }, rows, { samples, rateFrom: from });
    } finally {
      await rig.close();
    }
  },
};
