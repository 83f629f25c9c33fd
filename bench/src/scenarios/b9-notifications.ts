import nodemailer from 'nodemailer';
import pg from 'pg';
import { nowMs } from '../harness/clock';
import { formatLatency, row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';
import { startSmtpSink, type SmtpSink } from '../harness/smtp-sink';
import { mapLimit } from '../clients/pool';
import { deliveryProblems, loadPhase, setUpTicketWatchers, type PhaseOutcome } from './message-rig';

const full = {
  backlog: 2000,
  floorEmails: 1000,
  tickets: 100,
  rate: 15,
  seconds: 20,
  warmupSeconds: 2,
  pairs: 2,
};
const quick = {
  backlog: 100,
  floorEmails: 100,
  tickets: 20,
  rate: 40,
  seconds: 2,
  warmupSeconds: 0.5,
  pairs: 1,
};

/**
 * Parley's own send concurrency per process (notify settings). Each email is a new SMTP
 * connection (as Parley sends), which bounds the handoff to tens per second here: the
 * send-cost phases offer about that many messages (a higher rate only measures a queue
 * of emails growing behind the sends; a first full run at 200 msg/s did exactly that).
 */
const concurrency = 2;

/**
 * B9: the delivery engine. (1) Throughput: a backlog of new tickets logged while no engine
 * ran, then a server with the engine drains it: emails handed to SMTP per second, against
 * the floor of the same SMTP sink fed pre-rendered emails by nodemailer at the same
 * concurrency (what is left is Parley's planning, rendering, bookkeeping and queue).
 * (2) The added cost per `messages.send`: the same open-loop send rate on a server with
 * the engine and one without, alternating, every send on an assigned ticket (so each
 * makes an email to the assignee), next to B2's INSERT+NOTIFY floor.
 */
export const b9: Scenario = {
  name: 'B9',
  title:
    'Notifications: events → emails handed to SMTP per second; send latency with the engine on',
  async run(options) {
    const size = options.quick ? quick : full;
    const rig = await Rig.open('B9', options, 2);
    const sink = await startSmtpSink();
    try {
      const floorRate = await smtpFloor(sink, size.floorEmails);
      rig.log(`floor: ${floorRate} emails/s handed to SMTP by nodemailer, ${concurrency} at once`);
      const worker = rig.workers[0];
      if (!worker) throw new Error('no worker');
      const pgFloor = await worker.call('floor.pgNotifyThroughput', {
        url: rig.scratch.url,
        clients: 8,
        durationMs: (options.quick ? 1 : 5) * 1000,
      });
      rig.log(`floor: ${pgFloor.perSecond} INSERT+NOTIFY tx/s (B2's floor)`);

      // (1) The backlog: tickets created through a server without the engine.
      const plain = await rig.parleyServer();
      const customers = await rig.fixtures.signedIn('customer', size.backlog, 'B9-backlog');
      await rig.fixtures.tickets(plain.url, customers);
      sink.reset();
      const startedAt = nowMs();
      const engine = await rig.metered('parley drain', [], async () => {
        const server = await rig.parleyServer({ BENCH_NOTIFY_SMTP_URL: sink.url });
        await sink.waitFor(size.backlog, 600_000);
        return server;
      });
      const first = sink.arrivals[0] ?? startedAt;
      const last = sink.arrivals.at(-1) ?? startedAt;
      const drainRate = Math.round((size.backlog - 1) / ((last - first) / 1000));
      rig.log(
        `drain: ${size.backlog} emails in ${((last - startedAt) / 1000).toFixed(1)} s from the server's start, ${drainRate} emails/s steady`,
      );
      await new Promise((resolve) => setTimeout(resolve, 2000));
      if (sink.arrivals.length !== size.backlog) {
        rig.problem(`${sink.arrivals.length} emails for ${size.backlog} new tickets`);
      }

      // (2) Sends with and without the engine, alternating.
      const agent = (await rig.fixtures.users('agent', 1, 'B9-assignee'))[0];
      if (!agent) throw new Error('no agent');
      const phases: Record<'off' | 'on', PhaseOutcome[]> = { off: [], on: [] };
      for (let pair = 0; pair < size.pairs; pair++) {
        for (const mode of ['off', 'on'] as const) {
          const server = mode === 'on' ? engine : plain;
          await Promise.all(rig.workers.map((w) => w.call('messages.close', undefined)));
          await setUpTicketWatchers(rig, server, size.tickets, 2, `B9-${mode}${pair}`);
          await assignOpenTickets(rig.scratch.url, agent.id);
          sink.reset();
          const phase = await rig.metered(
            `parley sends, engine ${mode} #${pair + 1}`,
            [server],
            () => loadPhase(rig, size.rate, size.seconds, size.warmupSeconds, 60_000),
          );
          const problems = deliveryProblems(phase, false);
          if (problems.length > 0) rig.problem(`engine ${mode}: ${problems.join('; ')}`);
          if (mode === 'on') {
            // Every customer message on an assigned ticket is an email to the assignee.
            await sink.waitFor(phase.sendOk, 120_000).catch((error: unknown) => {
              rig.problem(`engine on: ${String(error)}`);
            });
          }
          phases[mode].push(phase);
          rig.log(
            `engine ${mode} #${pair + 1}: ${formatLatency('send', phase.sendLatency)}, ${formatLatency('delivery', phase.latency)}${mode === 'on' ? `, ${sink.arrivals.length} emails` : ''}`,
          );
        }
      }
      const worst = (mode: 'off' | 'on', pick: (p: PhaseOutcome) => number) =>
        Math.max(...phases[mode].map(pick));
      const sendP50 = {
        off: worst('off', (p) => p.sendLatency.p50),
        on: worst('on', (p) => p.sendLatency.p50),
      };
      const sendP99 = {
        off: worst('off', (p) => p.sendLatency.p99),
        on: worst('on', (p) => p.sendLatency.p99),
      };
      const cpuPerSend = (mode: 'off' | 'on') => {
        const used = Object.entries(rig.cpu)
          .filter(([phase]) => phase.includes(`engine ${mode}`))
          .map(([, byProcess]) => byProcess['parley server'] ?? 0);
        const sends = phases[mode].reduce((n, p) => n + p.sendOk, 0);
        const seconds = size.seconds * phases[mode].length;
        return sends
          ? Math.round(((used.reduce((a, b) => a + b, 0) / used.length) * seconds * 1e6) / sends)
          : null;
      };
      const rows = [
        row(
          'emails handed to SMTP (backlog drain)',
          drainRate,
          'emails/s',
          { value: floorRate, label: `nodemailer → same sink, ${concurrency} at once` },
          null,
        ),
        row('send p50, engine off', sendP50.off, 'ms', null, null),
        row(
          'send p50, engine on',
          sendP50.on,
          'ms',
          { value: sendP50.off, label: 'send p50, engine off' },
          null,
        ),
        row('send p99, engine off', sendP99.off, 'ms', null, null),
        row(
          'send p99, engine on',
          sendP99.on,
          'ms',
          { value: sendP99.off, label: 'send p99, engine off' },
          null,
        ),
        row(
          `send rate offered (each makes an email)`,
          size.rate,
          'msg/s',
          { value: pgFloor.perSecond, label: "B2's floor: INSERT+NOTIFY tx/s, 8 conns" },
          null,
        ),
        row('server CPU per send, engine off', cpuPerSend('off'), 'µs', null, null),
        row(
          'server CPU per send, engine on',
          cpuPerSend('on'),
          'µs',
          { value: cpuPerSend('off'), label: 'engine off' },
          null,
        ),
      ];
      return rig.result(b9.title, size, rows, { floorRate, pgFloor, drainRate, phases });
    } finally {
      await sink.close();
      await rig.close();
    }
  },
};

/** The floor: pre-rendered emails of Parley's size, `concurrency` at once, a new connection each (as Parley sends). */
async function smtpFloor(sink: SmtpSink, count: number): Promise<number> {
  const transport = nodemailer.createTransport({ url: sink.url });
  const html = `<!doctype html><html><body>${'<p>Your parcel is at the depot and ships tomorrow.</p>'.repeat(40)}</body></html>`;
  const text = 'Your parcel is at the depot and ships tomorrow.\n'.repeat(40);
  sink.reset();
  const started = nowMs();
  await mapLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    (i) =>
      transport.sendMail({
        from: 'Parley <parley@localhost>',
        to: `floor-${i}@example.com`,
        subject: `[#${i}] Your request was received`,
        html,
        text,
      }),
  );
  const rate = Math.round(count / ((nowMs() - started) / 1000));
  transport.close();
  sink.reset();
  return rate;
}

/** Every open ticket of the run assigned to `agentId` (a customer's message then emails them). */
async function assignOpenTickets(url: string, agentId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('update tickets set assignee_id = $1 where assignee_id is null', [agentId]);
  } finally {
    await client.end();
  }
}
