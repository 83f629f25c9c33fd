/**
 * `pnpm --filter @parley/bench send-cost`: the cost of one `messages.send`, without
 * HTTP, sockets or fan-out — the router called in process against the bench database.
 * Prints round trips per send, Node CPU per send, Postgres backend CPU per send, and
 * wall time sequentially and with 8 senders at once. CPU per send drifts far less than
 * wall time on a shared machine, so it is the figure to compare before and after a
 * change to the send path.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { closeDb, createDb, type Db } from '@parley/db';
import { createTestUser, signedInCaller, testServices, ticketInput } from '@parley/api/testing';
import { BenchDatabase } from '../harness/database';
import { installQueryStats } from '../harness/query-stats';

const senders = 8;
const sequential = Number(process.argv[2] ?? 400);
const concurrent = Number(process.argv[3] ?? 2000);

/** CPU seconds (user + system) of the database's backends, from /proc. */
async function backendCpu(db: Db): Promise<number> {
  const { rows } = await db.$client.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database()',
  );
  let ticks = 0;
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / 100;
}

const stats = installQueryStats();
const server = await BenchDatabase.open();
const scratch = await server.scratch('send_cost');
const db = createDb(scratch.url, { max: 20 });
try {
  const services = testServices(db);
  const customers = await Promise.all(
    Array.from({ length: senders }, () => createTestUser(db, 'customer')),
  );
  const callers = await Promise.all(
    customers.map(async (c) => (await signedInCaller(services, c.id)).caller),
  );
  const tickets = await Promise.all(callers.map((caller) => caller.tickets.create(ticketInput())));
  const send = (i: number) =>
    callers[i]!.messages.send({
      ticketId: tickets[i]!.id,
      body: 'Any news?',
      clientId: randomUUID(),
    });

  const measure = async (label: string, sends: number, run: () => Promise<void>) => {
    const calls = () => stats.top(1000).reduce((n, s) => n + s.calls, 0);
    const [calls0, cpu0, pg0, t0] = [
      calls(),
      process.cpuUsage(),
      await backendCpu(db),
      performance.now(),
    ];
    await run();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const pgCpu = (await backendCpu(db)) - pg0;
    console.log(
      `${label}: ${sends} sends, ${((calls() - calls0) / sends).toFixed(1)} statements/send, ` +
        `node CPU ${((cpu.user + cpu.system) / sends).toFixed(0)} µs/send, ` +
        `postgres CPU ${((pgCpu * 1e6) / sends).toFixed(0)} µs/send, ` +
        `${(ms / sends).toFixed(2)} ms/send wall, ${((sends * 1000) / ms).toFixed(0)} sends/s`,
    );
  };

  for (let i = 0; i < 200; i++) await send(i % senders);
  await measure('sequential', sequential, async () => {
    for (let i = 0; i < sequential; i++) await send(0);
  });
  await measure(`${senders} senders`, concurrent, async () => {
    await Promise.all(
      Array.from({ length: senders }, async (_, s) => {
        for (let i = 0; i < concurrent / senders; i++) await send(s);
      }),
    );
  });
} finally {
  await closeDb(db);
  await scratch.drop();
  await server.close();
}
