import { randomUUID } from 'node:crypto';
import { createAuth } from '@parley/api';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { httpClient } from './testing';
import { startChildServer } from './testing/child-server';
import { collector, realtimeClient } from './testing/realtime';
import { rawSocket, type RawSocket } from './testing/raw-socket';

/**
 * test plan 27: one customer's fan-out must not starve other tickets. The customer
 * tries 100 sockets with 50 subscriptions each on their own ticket (5,000 copies of every
 * event), then posts four 10 KB messages; another ticket's message must still reach its
 * agent promptly. Sockets per user and subscriptions per user and stream are capped.
 */
describe('one ticket with a huge fan-out', () => {
  it("does not hold up another ticket's delivery", async () => {
    await using database = await createTestDatabase();
    await using server = await startChildServer({ databaseUrl: database.url });
    const base = `http://127.0.0.1:${server.port}`;
    const auth = createAuth(database.db);
    const tokenOf = async (role: 'customer' | 'agent') =>
      (await auth.createSession((await createTestUser(database.db, role)).id)).token;
    const [hostileToken, otherToken, agentToken] = await Promise.all([
      tokenOf('customer'),
      tokenOf('customer'),
      tokenOf('agent'),
    ]);
    const hostile = httpClient(base, { token: hostileToken });
    const other = httpClient(base, { token: otherToken });
    const noisy = await hostile.tickets.create.mutate({ subject: 'Noisy', description: 'x' });
    const quiet = await other.tickets.create.mutate({ subject: 'Quiet', description: 'y' });

    await using agent = realtimeClient(server.wsUrl, { token: agentToken });
    const watched = collector();
    agent.client.realtime.onTicket.subscribe({ ticketId: quiet.id }, watched.handlers);
    await watched.until(() => watched.tracked.length > 0, 'the agent subscription');

    const sockets: RawSocket[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const socket = await rawSocket(server.wsUrl, { token: hostileToken });
        socket.send(
          Array.from({ length: 50 }, (_, id) => ({
            id: id + 1,
            jsonrpc: '2.0',
            method: 'subscription',
            params: { path: 'realtime.onTicket', input: { ticketId: noisy.id } },
          })),
        );
        sockets.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const open = sockets.filter((s) => s.ws.readyState === s.ws.OPEN);
      expect(open.length).toBeLessThanOrEqual(32);
      const subscribed = sockets
        .flatMap((s) => s.answers)
        .filter((a) => a.result?.type === 'started');
      expect(subscribed.length).toBeLessThanOrEqual(8);

      const body = 'z'.repeat(10_000);
      const started = performance.now();
      await Promise.all([
        ...Array.from({ length: 4 }, () =>
          hostile.messages.send.mutate({ ticketId: noisy.id, body, clientId: randomUUID() }),
        ),
        other.messages.send.mutate({
          ticketId: quiet.id,
          body: 'still here',
          clientId: randomUUID(),
        }),
      ]);
      await watched.until(
        () => watched.bodies().includes('still here'),
        'the quiet ticket message',
      );
      const delay = performance.now() - started;
      // Measured ~1 s on a loaded 2-core machine (the caps leave 8 copies of each event);
      // before them, 5,000 copies held it up for 3–7 s and more. Generous for CI load.
      expect(delay).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) socket.ws.terminate();
    }
  }, 90_000);
});
