import { summarizeSamples } from '../harness/histogram';
import { row } from '../harness/report';
import { Rig, type Scenario } from '../harness/rig';

const full = { events: 10_000, repeats: 3 };
const quick = { events: 200, repeats: 2 };

/** B5: a client that missed many events resumes with `lastEventId` and receives them all. */
export const b5: Scenario = {
  name: 'B5',
  title: 'Catch-up: resume realtime.onTicket with lastEventId after missing many events',
  async run(options) {
    const size = options.quick ? quick : full;
    const rig = await Rig.open('B5', options, 2);
    try {
      const [producer, resumer] = rig.workers;
      if (!producer || !resumer) throw new Error('two workers needed');
      const server = await rig.parleyServer();
      const [customer] = await rig.fixtures.signedIn('customer', 1, 'B5-c');
      if (!customer) throw new Error('no customer');
      const [ticketId] = await rig.fixtures.tickets(server.url, [customer]);
      if (!ticketId) throw new Error('no ticket');
      const { cursor } = await producer.call('catchUp.cursor', {
        wsUrl: server.wsUrl,
        token: customer.token,
        ticketId,
      });
      rig.log(
        `client went away at event ${cursor}; sending ${size.events} messages while it is gone`,
      );
      const produced = await producer.call('catchUp.produce', {
        httpUrl: server.url,
        token: customer.token,
        ticketId,
        count: size.events,
        concurrency: 8,
      });
      if (produced.failures.length)
        rig.problem(`messages.send failed while producing: ${produced.failures.join('; ')}`);

      const runs = [];
      for (let r = 0; r < size.repeats; r++) {
        const resumed = await rig.metered(`parley resume ${r + 1}`, [server], () =>
          resumer.call('catchUp.resume', {
            wsUrl: server.wsUrl,
            token: customer.token,
            ticketId,
            lastEventId: cursor,
            expected: size.events,
            timeoutMs: 60_000,
          }),
        );
        runs.push(resumed);
        rig.log(
          `resume ${r + 1}: ${resumed.received}/${size.events} in ${resumed.ms?.toFixed(1) ?? '—'} ms${resumed.resync ? `, resync (${resumed.resync})` : ''}`,
        );
        if (resumed.duplicates || resumed.gaps)
          rig.problem(`resume ${r + 1}: ${resumed.duplicates} duplicates, ${resumed.gaps} gaps`);
        if (!resumed.resync && resumed.received < size.events)
          rig.problem(
            `resume ${r + 1}: ${resumed.received} of ${size.events} events (${resumed.ended ?? 'timed out'})`,
          );
      }
      const resynced = runs.find((r) => r.resync);
      if (resynced) {
        rig.notes.push(
          `The server answered with a resync (${resynced.resync}) instead of replaying ${size.events} events: the client must reload its state with queries.`,
        );
      }

      // Floors: reading the same events from the log with plain pg, and a raw ws burst.
      const reads = await resumer.call('floor.readEvents', {
        url: rig.scratch.url,
        ticketId,
        afterId: Number(cursor),
        batch: 1000,
        repeat: 3,
      });
      const floorServer = await rig.wsFloorServer();
      const bursts = [];
      for (let r = 0; r < 3; r++)
        bursts.push(
          await resumer.call('wsFloor.burst', {
            wsUrl: floorServer.wsUrl,
            count: size.events,
            pad: 'x'.repeat(400),
          }),
        );
      await floorServer.stop();
      const read = summarizeSamples(reads.times);
      const burst = summarizeSamples(bursts.map((b) => b.ms));
      const complete = runs.filter((r) => r.ms !== null && r.received >= size.events);
      const time =
        complete.length === runs.length
          ? summarizeSamples(complete.map((r) => r.ms as number))
          : null;
      rig.log(
        `floor: pg read ${read.p50.toFixed(1)} ms + raw ws burst ${burst.p50.toFixed(1)} ms; parley median ${time?.p50 ?? '—'} ms`,
      );
      const rows = [
        row(
          `catch-up of ${size.events} events (median)`,
          time?.p50 ?? null,
          'ms',
          { value: read.p50 + burst.p50, label: 'pg read of the log + raw ws burst' },
          { max: 2000 },
        ),
        row(
          'events replayed per second',
          time ? Math.round(size.events / (time.p50 / 1000)) : null,
          'ev/s',
          null,
          null,
        ),
      ];
      return rig.result(b5.title, size, rows, {
        produced,
        runs,
        floors: { read, burst, eventsRead: reads.rows },
      });
    } finally {
      await rig.close();
    }
  },
};
