import { randomUUID } from 'node:crypto';
import { createAuth } from '@parley/api';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { httpClient } from './testing';
import { startChildServer } from './testing/child-server';

/**
 * test plan 31: every `pg` client the server holds survives a terminated backend
 * (57P01). The server runs as its own process so that a crash shows as an exit.
 */
describe("Postgres terminating the server's sessions during writes", () => {
  it('keeps the process alive, answers "unavailable" meanwhile, and recovers', async () => {
    await using database = await createTestDatabase();
    await using server = await startChildServer({ databaseUrl: database.url });
    const base = `http://127.0.0.1:${server.port}`;
    const auth = createAuth(database.db);
    const agent = await createTestUser(database.db, 'agent');
    const agentHttp = httpClient(base, { token: (await auth.createSession(agent.id)).token });
    const writers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const customer = await createTestUser(database.db, 'customer');
        const http = httpClient(base, { token: (await auth.createSession(customer.id)).token });
        const ticket = await http.tickets.create.mutate({ subject: 'Faults', description: 'x' });
        return { http, ticket };
      }),
    );

    let stop = false;
    const killer = (async () => {
      while (!stop) {
        await database.db.$client
          .query(
            `select pg_terminate_backend(pid) from pg_stat_activity
              where datname = current_database() and application_name like 'parley-%'
                and application_name <> 'parley-test' and pid <> pg_backend_pid()`,
          )
          .catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    })();
    const codes = new Map<string, number>();
    const deadline = Date.now() + 4000;
    // 16 concurrent writers: a send and a markRead by each customer and the agent.
    await Promise.all(
      writers.flatMap(({ http, ticket }) =>
        [http, http, agentHttp, agentHttp].map(async (client, i) => {
          while (Date.now() < deadline && !server.exited) {
            const call =
              i % 2 === 0
                ? client.messages.send.mutate({
                    ticketId: ticket.id,
                    body: 'hi',
                    clientId: randomUUID(),
                  })
                : client.messages.markRead.mutate({ ticketId: ticket.id, seq: 1 });
            await call.then(
              () => codes.set('ok', (codes.get('ok') ?? 0) + 1),
              (error: { data?: { code?: string } }) => {
                const code = error.data?.code ?? 'network';
                codes.set(code, (codes.get(code) ?? 0) + 1);
              },
            );
          }
        }),
      ),
    );
    stop = true;
    await killer;

    expect(server.exited).toBe(false);
    // Failures during the outage are "unavailable", never a bare 500.
    expect(
      [...codes.keys()].filter((code) => code !== 'ok' && code !== 'SERVICE_UNAVAILABLE'),
    ).toEqual([]);
    // Once the terminations stop, the same server serves again.
    const { http, ticket } = writers[0]!;
    await expect
      .poll(
        () =>
          http.messages.send
            .mutate({ ticketId: ticket.id, body: 'after', clientId: randomUUID() })
            .then(
              () => 'ok',
              () => 'failed',
            ),
        { timeout: 10_000, interval: 200 },
      )
      .toBe('ok');
  }, 120_000); // starting the child process (tsx compiling the server) took 40 s on a loaded machine
});
