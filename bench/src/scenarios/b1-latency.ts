import { formatLatency, row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';
import {
  deliveryProblems,
  loadPhase,
  pgNotifyFloor,
  setUpTicketWatchers,
  wsRelayFloor,
} from './message-rig';

const full = {
  subscribers: 2000,
  perTicket: 5,
  rate: 1000,
  seconds: 60,
  warmupSeconds: 5,
  floorSeconds: 15,
  drainSeconds: 120,
};
const quick = {
  subscribers: 100,
  perTicket: 5,
  rate: 50,
  seconds: 2,
  warmupSeconds: 0.5,
  floorSeconds: 1,
  drainSeconds: 120,
};

/** B1: delivery latency of persisted messages at a steady rate, to ~5 subscribers each. */
export const b1: Scenario = {
  name: 'B1',
  title: 'Latency: messages.send → realtime.onTicket subscribers, constant rate',
  async run(options) {
    const size = options.quick ? quick : full;
    const tickets = size.subscribers / size.perTicket;
    const rig = await Rig.open('B1', options, 2);
    try {
      rig.log(
        `floors: pg INSERT+NOTIFY and raw ws relay at ${size.rate}/s for ${size.floorSeconds} s each`,
      );
      const pg = await pgNotifyFloor(rig, size.rate, size.floorSeconds, 1);
      const ws = await wsRelayFloor(rig, tickets, size.perTicket, size.rate, size.floorSeconds, 1);
      rig.log(formatLatency('floor pg NOTIFY', pg.latency));
      rig.log(formatLatency('floor raw ws relay', ws.latency));

      const server = await rig.parleyServer();
      const sockets = await setUpTicketWatchers(rig, server, tickets, size.perTicket);
      rig.log(
        `${sockets} subscribers on ${tickets} tickets; sending ${size.rate} msg/s for ${size.seconds} s`,
      );
      const phase = await rig.metered('parley', [server], () =>
        loadPhase(rig, size.rate, size.seconds, size.warmupSeconds, size.drainSeconds * 1000),
      );
      rig.log(formatLatency('parley delivery', phase.latency));
      rig.log(formatLatency('  of which after the write began', phase.afterWrite));
      rig.log(formatLatency('messages.send response', phase.sendLatency));
      // Late deliveries (the server far behind the offered rate) miss the latency target;
      // only missing, duplicated or reordered ones are delivery failures.
      for (const problem of deliveryProblems(phase, false)) rig.problem(problem);
      if (phase.late > 0) {
        rig.notes.push(
          `The server fell behind the offered ${size.rate} msg/s: ${phase.sendOk} of ${phase.sent} sends were answered ` +
            `and ${phase.late} deliveries were still due ${size.drainSeconds} s after the last send; they are not in the latency figures.`,
        );
      }

      const floorLabel = 'pg NOTIFY + raw ws';
      const due = phase.expectedDeliveries + phase.unsettledDeliveries;
      const delivered = due ? Math.floor((phase.deliveries / due) * 10000) / 100 : 0;
      const inOrder =
        phase.duplicates === 0 && phase.gaps === 0 && (phase.behind === 0 || phase.late > 0);
      const rows = [
        row(
          'delivery p50',
          phase.latency.p50,
          'ms',
          { value: pg.latency.p50 + ws.latency.p50, label: floorLabel },
          { max: 5 },
        ),
        row(
          'delivery p99',
          phase.latency.p99,
          'ms',
          { value: pg.latency.p99 + ws.latency.p99, label: floorLabel },
          { max: 25 },
        ),
        row(
          'delivery p99.9 / max',
          phase.latency.p999,
          'ms',
          { value: pg.latency.p999 + ws.latency.p999, label: floorLabel },
          null,
        ),
        row(
          `delivered in order within the run + ${size.drainSeconds} s`,
          inOrder ? delivered : 0,
          '%',
          null,
          { min: 100, text: '100% in order' },
        ),
      ];
      return rig.result(b1.title, { ...size, tickets }, rows, {
        parley: phase,
        floors: { pgNotify: pg, wsRelay: ws },
      });
    } finally {
      await rig.close();
    }
  },
};
