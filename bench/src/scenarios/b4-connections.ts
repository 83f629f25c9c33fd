import { readFileSync } from 'node:fs';
import { sleep } from '../harness/clock';
import type { HeapSummary } from '../harness/heap';
import { row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';
import { split } from '../harness/workers';

const full = { sockets: 20_000, workers: 4, idleSeconds: 30 };
const quick = { sockets: 500, workers: 2, idleSeconds: 1 };

/** The soft limit on open files of this process (inherited by the ones it starts). */
function openFilesLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    return Number(line?.split(/\s{2,}/)[1] ?? Infinity);
  } catch {
    return Infinity;
  }
}

type Sampler = {
  call(
    method: 'sample',
    args: { collect?: boolean; resetLoop?: boolean },
  ): Promise<{
    rssBytes: number;
    heapUsedBytes: number;
    eventLoop: { p50: number; p99: number; max: number };
  }>;
  call(method: 'heapSummary', args: undefined): Promise<HeapSummary>;
};

/** Heap snapshots are only taken up to this many sockets (they grow with the heap). */
const heapSummaryMaxSockets = 5000;

/** Opens `count` sockets with `open`, and measures the server's memory and idle event loop. */
async function measureConnections(
  server: Sampler,
  idleSeconds: number,
  count: number,
  heap: boolean,
  open: () => Promise<unknown>,
) {
  await sleep(500);
  const takeHeap = heap && count <= heapSummaryMaxSockets;
  const heapBefore = takeHeap ? await server.call('heapSummary', undefined) : null;
  const before = await server.call('sample', { collect: true });
  const started = performance.now();
  await open();
  const rampSeconds = (performance.now() - started) / 1000;
  await sleep(1000);
  const after = await server.call('sample', { collect: true, resetLoop: true });
  await sleep(idleSeconds * 1000);
  const idle = await server.call('sample', {});
  const heapSummary = heapBefore
    ? heapGrowth(heapBefore, await server.call('heapSummary', undefined), count)
    : null;
  return {
    heapSummary,
    rampSeconds: Math.round(rampSeconds * 10) / 10,
    rssPerConnectionKb: Math.round(((after.rssBytes - before.rssBytes) / count / 1024) * 10) / 10,
    heapPerConnectionKb:
      Math.round(((after.heapUsedBytes - before.heapUsedBytes) / count / 1024) * 10) / 10,
    rssBeforeMb: Math.round(before.rssBytes / 2 ** 20),
    rssAfterMb: Math.round(after.rssBytes / 2 ** 20),
    idleEventLoop: idle.eventLoop,
  };
}

/** What the heap grew by, per group, largest first, with bytes per socket. */
function heapGrowth(before: HeapSummary, after: HeapSummary, count: number) {
  const was = new Map(before.top.map((g) => [g.name, g]));
  return after.top
    .map((g) => {
      const kb = g.kb - (was.get(g.name)?.kb ?? 0);
      return {
        name: g.name,
        objects: g.count - (was.get(g.name)?.count ?? 0),
        kb,
        bytesPerSocket: Math.round((kb * 1024) / count),
      };
    })
    .sort((a, b) => b.kb - a.kb)
    .slice(0, 20);
}

/** B4: as many sockets as the target, each with one subscription; memory and idle loop. */
export const b4: Scenario = {
  name: 'B4',
  title: 'Connections: sockets with one realtime.onInbox subscription each',
  async run(options) {
    const size = options.quick ? quick : full;
    const limit = openFilesLimit();
    const rig = await Rig.open('B4', options, size.workers);
    try {
      let sockets = size.sockets;
      if (limit < sockets + 300) {
        sockets = Math.max(100, limit - 300);
        rig.notes.push(
          `The open-files limit is ${limit} per process here and could not be raised (no CAP_SYS_RESOURCE): ` +
            `the one server process held ${sockets} sockets instead of ${size.sockets}.`,
        );
      }
      rig.notes.push(
        `Clients spread over ${size.workers} worker processes, each connecting from its own loopback address.`,
      );
      const counts = split(Array.from({ length: sockets }), rig.workers.length).map(
        (p) => p.length,
      );

      rig.log(`floor: ${sockets} idle raw ws sockets`);
      const floorServer = await rig.wsFloorServer();
      const floor = await measureConnections(
        floorServer,
        size.idleSeconds,
        sockets,
        options.profile,
        () =>
          Promise.all(
            rig.workers.map((w, i) =>
              w.call('wsFloor.open', {
                wsUrl: floorServer.wsUrl,
                count: counts[i] ?? 0,
                localAddress: w.localAddress,
              }),
            ),
          ),
      );
      await Promise.all(rig.workers.map((w) => w.call('wsFloor.close', undefined)));
      await floorServer.stop();
      rig.log(
        `floor: ${floor.rssPerConnectionKb} KB RSS per socket, idle event loop p99 ${floor.idleEventLoop.p99} ms`,
      );

      rig.log(`creating ${sockets} customers and sessions`);
      const customers = await rig.fixtures.signedIn('customer', sockets, 'B4-c');
      const server = await rig.parleyServer();
      const parts = split(
        customers.map((c) => c.token),
        rig.workers.length,
      );
      rig.log(`ramping to ${sockets} sockets with one realtime.onInbox each`);
      const parley = await rig.metered('parley ramp + idle', [server], () =>
        measureConnections(server, size.idleSeconds, sockets, options.profile, () =>
          Promise.all(
            rig.workers.map((w, i) =>
              w.call('inbox.open', {
                wsUrl: server.wsUrl,
                tokens: parts[i] ?? [],
                localAddress: w.localAddress,
                concurrency: 50,
              }),
            ),
          ),
        ),
      );
      const status = await Promise.all(rig.workers.map((w) => w.call('inbox.status', undefined)));
      const open = status.reduce((n, s) => n + s.open, 0);
      if (open < sockets)
        rig.problem(
          `${sockets - open} of ${sockets} sockets closed during the idle period: ${status.flatMap((s) => s.ended).join('; ')}`,
        );
      const clientRssMb = Math.round(status.reduce((n, s) => n + s.process.rssBytes, 0) / 2 ** 20);
      rig.log(
        `parley: ${parley.rssPerConnectionKb} KB RSS per socket, idle event loop p99 ${parley.idleEventLoop.p99} ms, ramp ${parley.rampSeconds} s`,
      );

      const rows = [
        row(
          `RSS per connection (${sockets} sockets)`,
          parley.rssPerConnectionKb,
          'KB',
          { value: floor.rssPerConnectionKb, label: 'raw ws idle socket' },
          { max: 25 },
        ),
        row(
          'idle event-loop delay p99',
          parley.idleEventLoop.p99,
          'ms',
          { value: floor.idleEventLoop.p99, label: 'raw ws server, idle' },
          { max: 20 },
        ),
        row(
          'heap per connection',
          parley.heapPerConnectionKb,
          'KB',
          { value: floor.heapPerConnectionKb, label: 'raw ws' },
          null,
        ),
        row(
          'ramp time (connect + auth + subscribe)',
          parley.rampSeconds,
          's',
          { value: floor.rampSeconds, label: 'raw ws connect' },
          null,
        ),
      ];
      return rig.result(b4.title, { ...size, sockets, openFilesLimit: limit }, rows, {
        parley: { ...parley, open, clientRssMb },
        floor,
      });
    } finally {
      await rig.close();
    }
  },
};
