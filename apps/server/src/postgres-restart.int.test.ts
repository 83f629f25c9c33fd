import { randomUUID } from 'node:crypto';
import type { AppRouter } from '@parley/api';
import { createTestUser, testPassword } from '@parley/api/testing';
import { closeDb, createDb } from '@parley/db';
import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { httpClient } from './testing';
import { startChildServer } from './testing/child-server';
import { startOwnPostgres } from './testing/own-postgres';
import { collector, realtimeClient, type RealtimeClient } from './testing/realtime';

/**
 * docs/test-plan.md 22: PostgreSQL restarted during a stream. A Postgres cluster of this
 * test's own (the shared one must not go down under other tests) is stopped and started
 * again on the same port while a customer sends and watches their ticket.
 */
describe('PostgreSQL restarted during a stream', () => {
  it('every send fails cleanly or succeeds exactly once; the stream resumes with nothing lost or repeated', async () => {
    await using pg = await startOwnPostgres();
    const { url } = pg;
    await using server = await startChildServer({ databaseUrl: url });
    const base = `http://127.0.0.1:${server.port}`;
    const setup = createDb(url, { max: 1 });
    const customer = await createTestUser(setup, 'customer', { name: 'Restart Customer' });
    await closeDb(setup);
    const { token } = await httpClient(base).auth.signIn.mutate({
      email: customer.email,
      password: testPassword,
      issueToken: true,
    });
    const http = httpClient(base, { token: token! });
    const ticket = await http.tickets.create.mutate({
      subject: 'Postgres restart',
      description: 'Sends during the outage',
    });

    await using socket = realtimeClient(server.wsUrl, { token: token! });
    const thread = collector();
    socket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, thread.handlers);
    await thread.until(() => thread.tracked.length > 0, 'the subscription to start');

    const total = 40;
    const acknowledged = new Map<string, { id: string; seq: number }>();
    const failures: unknown[] = [];
    const bodies = Array.from({ length: total }, (_, i) => `message ${i}`);
    let restarted: Promise<void> | undefined;
    let late: RealtimeClient | undefined;
    const lateTry = collector();
    for (const [i, body] of bodies.entries()) {
      if (i === 15) {
        // Fast shutdown: every connection (pool and LISTEN) is cut, mid-stream.
        await pg.stop();
        // A socket opened while the session cannot be checked.
        late = realtimeClient(server.wsUrl, { token: token! });
        late.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, lateTry.handlers);
        restarted = new Promise((resolve) => setTimeout(resolve, 1500)).then(async () => {
          await pg.start();
        });
      }
      // The client's retry: the same clientId until the server acknowledges it.
      const clientId = randomUUID();
      for (let attempt = 0; !acknowledged.has(clientId); attempt++) {
        try {
          const message = await http.messages.send.mutate({
            ticketId: ticket.id,
            body,
            clientId,
          });
          acknowledged.set(clientId, { id: message.id, seq: message.seq });
        } catch (error) {
          failures.push(error);
          if (attempt > 100) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
    await restarted;

    // Failures were answers, not dropped connections, and said no more than "try again".
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(TRPCClientError);
      const { data, message } = failure as TRPCClientError<AppRouter>;
      expect(data?.code).toBe('SERVICE_UNAVAILABLE');
      expect(data?.retryAfterSeconds).toBe(1);
      expect(message).not.toMatch(/ECONNREFUSED|terminat|postgres|select|insert/i);
    }

    // Exactly once in the database: one row per clientId, the row that was acknowledged.
    const db = createDb(url, { max: 2 });
    try {
      const { rows } = await db.$client.query<{ id: string; seq: number; client_id: string }>(
        'select id, seq, client_id from messages where ticket_id = $1 and client_id is not null',
        [ticket.id],
      );
      expect(rows).toHaveLength(total);
      for (const row of rows) {
        expect(acknowledged.get(row.client_id)).toEqual({ id: row.id, seq: row.seq });
      }
    } finally {
      await closeDb(db);
    }

    // The stream delivered every message once, in order, across the outage.
    await thread.until(() => thread.bodies().length >= total, 'every message on the stream');
    expect(thread.bodies()).toEqual(bodies);
    const seqs = thread
      .events()
      .flatMap((e) => (e.type === 'message.created' ? [(e.data as { seq: number }).seq] : []));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(thread.error).toBeNull();

    // The socket opened during the outage was told "unavailable", not "sign in", and
    // closed so its client reconnects: there it subscribes like any other.
    await using lateSocket = late!;
    await lateTry.until(() => lateTry.error !== null, 'the early subscription to fail');
    expect((lateTry.error as TRPCClientError<AppRouter>).data?.code).toBe('SERVICE_UNAVAILABLE');
    expect(lateSocket.closes).toContain(1013);
    const lateThread = collector();
    lateSocket.client.realtime.onTicket.subscribe(
      { ticketId: ticket.id, lastEventId: thread.tracked[0]!.id },
      lateThread.handlers,
    );
    await lateThread.until(() => lateThread.bodies().length >= total, 'the replay after it');
    expect(lateThread.bodies()).toEqual(bodies);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
  }, 240_000); // its own cluster (initdb) and a child server (tsx compiles it): slow under load
});
