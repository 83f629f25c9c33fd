import { formatLatency, row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';
import { deliveryProblems, loadPhase, setUpTicketWatchers, type PhaseOutcome } from './message-rig';

const full = {
  tickets: 500,
  perTicket: 2,
  steps: [25, 50, 100, 250, 500, 750, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 6000],
  stepSeconds: 10,
  warmupSeconds: 2,
  floorSeconds: 10,
};
const quick = {
  tickets: 50,
  perTicket: 2,
  steps: [50, 100],
  stepSeconds: 2,
  warmupSeconds: 0.5,
  floorSeconds: 1,
};

const kneeP99Ms = 50;

/** B2: raise the send rate step by step until p99 passes 50 ms or anything is lost. */
export const b2: Scenario = {
  name: 'B2',
  title: 'Throughput: ramp until p99 > 50 ms or any loss, delivery checked by seq',
  async run(options) {
    const size = options.quick ? quick : full;
    const rig = await Rig.open('B2', options, 2);
    try {
      rig.log(`floor: INSERT+NOTIFY throughput, 8 connections, ${size.floorSeconds} s`);
      const worker = rig.workers[0];
      if (!worker) throw new Error('no worker');
      const floor = await worker.call('floor.pgNotifyThroughput', {
        url: rig.scratch.url,
        clients: 8,
        durationMs: size.floorSeconds * 1000,
      });
      rig.log(`floor: ${floor.perSecond} INSERT+NOTIFY tx/s`);

      const server = await rig.parleyServer();
      await setUpTicketWatchers(rig, server, size.tickets, size.perTicket);
      const steps: Array<PhaseOutcome & { passed: boolean; reason: string }> = [];
      for (const rate of size.steps) {
        const phase = await rig.metered(`parley ${rate}/s`, [server], () =>
          loadPhase(rig, rate, size.stepSeconds, size.warmupSeconds, 120_000),
        );
        const problems = deliveryProblems(phase);
        const reasons = [...problems];
        if (phase.latency.p99 > kneeP99Ms)
          reasons.push(`p99 ${phase.latency.p99} ms > ${kneeP99Ms} ms`);
        const passed = reasons.length === 0;
        steps.push({ ...phase, passed, reason: reasons.join('; ') });
        rig.log(
          `${rate}/s: ${phase.deliveredPerSecond} delivered msg/s, ${formatLatency('latency', phase.latency)}${passed ? '' : ` — fails: ${reasons.join('; ')}`}`,
        );
        // Order is checked at every step, overloaded or not: a duplicate or a gap is a bug.
        // Completeness is checked at the first, lightest step: past the knee, a step may
        // end with deliveries still queued, which is what defines the knee.
        // Late is not lost: an overloaded first step still has to deliver everything.
        const failures = deliveryProblems(phase, false);
        if (phase.duplicates > 0 || phase.gaps > 0 || (steps.length === 1 && failures.length > 0)) {
          rig.problem(`at ${rate}/s: ${failures.join('; ')}`);
        }
        // Past the knee, keep going while the server still delivers what is offered, to
        // find where throughput saturates (a figure of its own, whatever the latency).
        const saturated = phase.deliveredPerSecond < 0.9 * rate;
        if (!passed && (saturated || steps.filter((x) => !x.passed).length >= 3)) break;
      }
      // The knee is the last step before the first failure.
      const firstFailure = steps.findIndex((x) => !x.passed);
      const passing = firstFailure < 0 ? steps : steps.slice(0, firstFailure);
      const knee = passing.at(-1);
      const peak = Math.max(0, ...steps.map((x) => x.deliveredPerSecond));
      if (!knee)
        rig.notes.push(
          `No step passed (${steps[0]?.reason ?? ''}): the knee is below ${size.steps[0]}/s on this run.`,
        );
      if (knee && passing.length === size.steps.length) {
        rig.notes.push(
          `Every step passed: the knee is above ${knee.rate}/s, the highest rate tried.`,
        );
      }
      const rows = [
        row(
          knee
            ? 'knee: msgs/s persisted + delivered'
            : `knee: below ${size.steps[0]} msg/s (no step passed)`,
          knee?.deliveredPerSecond ?? null,
          'msg/s',
          { value: floor.perSecond, label: 'INSERT+NOTIFY tx/s, 8 conns' },
          {
            min: Math.max(3500, Math.round(0.75 * floor.perSecond)),
            text: `≥ 3500 msg/s and ≥ 75% of floor`,
          },
        ),
        row('p99 at the knee', knee?.latency.p99 ?? null, 'ms', null, null),
        row(
          'peak delivered rate, any latency',
          peak,
          'msg/s',
          { value: floor.perSecond, label: 'INSERT+NOTIFY tx/s, 8 conns' },
          null,
        ),
      ];
      // The floor-relative half of the target: ≥ 75% of what the database allows here.
      const kneeRow = rows[0];
      if (kneeRow && kneeRow.value !== null) {
        kneeRow.met = kneeRow.value >= 3500 && kneeRow.value >= 0.75 * floor.perSecond;
      }
      return rig.result(b2.title, { ...size, steps: size.steps.join(',') }, rows, {
        floor,
        steps,
        kneeRate: knee?.rate ?? null,
        peakDeliveredPerSecond: peak,
      });
    } finally {
      await rig.close();
    }
  },
};
