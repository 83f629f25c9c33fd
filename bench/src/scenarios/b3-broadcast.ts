import { HttpCaller } from '../clients/http-caller';
import { nowMs, sleep } from '../harness/clock';
import { summarizeSamples } from '../harness/histogram';
import { row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';
import { split } from '../harness/workers';
import { pgNotifyFloor } from './message-rig';

const full = { watchers: 5000, agents: 100, broadcasts: 20 };
const quick = { watchers: 300, agents: 10, broadcasts: 3 };

/** B3: one ticket change (a status update) reaching every agent's inbox stream. */
export const b3: Scenario = {
  name: 'B3',
  title: 'Broadcast: one status change to every realtime.onInbox watcher',
  async run(options) {
    const size = options.quick ? quick : full;
    const rig = await Rig.open('B3', options, 2);
    try {
      // Floor 1: a raw ws server broadcasting one message to as many sockets.
      const floorServer = await rig.wsFloorServer();
      const counts = split(Array.from({ length: size.watchers }), rig.workers.length).map(
        (p) => p.length,
      );
      await Promise.all(
        rig.workers.map((w, i) =>
          w.call('wsFloor.open', {
            wsUrl: floorServer.wsUrl,
            count: counts[i] ?? 0,
            localAddress: w.localAddress,
          }),
        ),
      );
      const floorHttp = new HttpCaller(floorServer.url, 4);
      const floorTimes: number[] = [];
      for (let b = 0; b < size.broadcasts; b++) {
        const tag = `b${b}`;
        const started = nowMs();
        await floorHttp.post('/broadcast', { b: tag, pad: 'x'.repeat(300) });
        let last = 0;
        const complete = await waitFor(async () => {
          const seen = await Promise.all(
            rig.workers.map((w) => w.call('wsFloor.broadcastSeen', { tag })),
          );
          last = Math.max(...seen.map((s) => s.lastAt));
          return seen.reduce((n, s) => n + s.count, 0) >= size.watchers;
        });
        if (!complete) rig.problem(`raw ws floor broadcast ${tag} did not reach every socket`);
        floorTimes.push(last - started);
        await sleep(200);
      }
      floorHttp.close();
      await Promise.all(rig.workers.map((w) => w.call('wsFloor.close', undefined)));
      await floorServer.stop();
      // Floor 2: the database's wake-up, the other half of the path.
      const pg = await pgNotifyFloor(rig, 100, options.quick ? 2 : 5, 0.5);
      const wsFloor = summarizeSamples(floorTimes);
      rig.log(
        `floor: raw ws broadcast to ${size.watchers}: p50 ${wsFloor.p50} ms, max ${wsFloor.max} ms; pg NOTIFY p50 ${pg.latency.p50} ms`,
      );

      const server = await rig.parleyServer();
      const agents = await rig.fixtures.users('agent', size.agents, 'B3-a');
      const tokens = await rig.fixtures.sessions(
        Array.from(
          { length: size.watchers },
          (_, i) => (agents[i % agents.length] as { id: string }).id,
        ),
      );
      const [updater] = await rig.fixtures.signedIn('admin', 1, 'B3-admin');
      const customers = await rig.fixtures.signedIn('customer', size.broadcasts, 'B3-c');
      const ticketIds = await rig.fixtures.tickets(server.url, customers);
      const parts = split(tokens, rig.workers.length);
      await Promise.all(
        rig.workers.map((w, i) =>
          w.call('inbox.open', {
            wsUrl: server.wsUrl,
            tokens: parts[i] ?? [],
            localAddress: w.localAddress,
          }),
        ),
      );
      rig.log(
        `${size.watchers} inbox watchers subscribed; ${size.broadcasts} status changes, one at a time`,
      );

      const http = new HttpCaller(server.url, 4);
      const lastTimes: number[] = [];
      const firstTimes: number[] = [];
      const updateTimes: number[] = [];
      await rig.metered('parley', [server], async () => {
        for (const ticketId of ticketIds) {
          const started = nowMs();
          const result = await http.mutation(
            'tickets.update',
            { ticketId, status: 'in_progress' },
            updater?.token ?? '',
          );
          updateTimes.push(nowMs() - started);
          if (!result.ok) {
            rig.problem(`tickets.update failed: ${result.status} ${result.error}`);
            continue;
          }
          let seen = { count: 0, firstAt: 0, lastAt: 0 };
          const complete = await waitFor(async () => {
            const all = await Promise.all(
              rig.workers.map((w) => w.call('inbox.seen', { ticketId })),
            );
            seen = {
              count: all.reduce((n, s) => n + s.count, 0),
              firstAt: Math.min(...all.map((s) => s.firstAt || Infinity)),
              lastAt: Math.max(...all.map((s) => s.lastAt)),
            };
            return seen.count >= size.watchers;
          });
          if (!complete)
            rig.problem(
              `the update of ticket ${ticketId} reached ${seen.count} of ${size.watchers} watchers`,
            );
          lastTimes.push(seen.lastAt - started);
          firstTimes.push(seen.firstAt - started);
          await sleep(500);
        }
      });
      http.close();
      const last = summarizeSamples(lastTimes);
      const first = summarizeSamples(firstTimes);
      rig.log(
        `parley: last delivery p50 ${last.p50} ms, max ${last.max} ms; first delivery p50 ${first.p50} ms`,
      );
      const floorLabel = 'raw ws broadcast + pg NOTIFY p50';
      const rows = [
        row(
          'last delivery (median of runs)',
          last.p50,
          'ms',
          { value: wsFloor.p50 + pg.latency.p50, label: floorLabel },
          { max: 150 },
        ),
        row(
          'last delivery (worst run)',
          last.max,
          'ms',
          { value: wsFloor.max + pg.latency.p50, label: floorLabel },
          null,
        ),
        row(
          'first delivery (median)',
          first.p50,
          'ms',
          { value: pg.latency.p50, label: 'pg NOTIFY p50' },
          null,
        ),
      ];
      return rig.result(b3.title, size, rows, {
        parley: { last, first, lastTimes, update: summarizeSamples(updateTimes) },
        floors: { wsBroadcast: wsFloor, floorTimes, pgNotify: pg },
      });
    } finally {
      await rig.close();
    }
  },
};

/** Polls `check` every 5 ms for up to 15 s. */
async function waitFor(check: () => Promise<boolean>): Promise<boolean> {
  const deadline = nowMs() + 15_000;
  while (nowMs() < deadline) {
    if (await check()) return true;
    await sleep(5);
  }
  return false;
}
