import { randomUUID } from 'node:crypto';
import { createTestUser } from '@parley/api/testing';
import pg from 'pg';
import { expect, it } from 'vitest';
import { httpClient, startTestServer } from './testing';
import { collector, realtimeClient } from './testing/realtime';

/**
 * docs/test-plan.md 5: after a role change, the next subscription event is denied. The
 * sockets must close when the change commits, not once the sessions are deleted
 * afterwards: here that deletion is held up by a lock, and an internal note written
 * meanwhile must not reach the demoted agent's open inbox.
 */
it('closes a demoted agent’s sockets when the role change commits, before any later event', async () => {
  await using server = await startTestServer();
  const { db } = server.database;
  const session = async (role: 'customer' | 'agent' | 'admin') => {
    const user = await createTestUser(db, role);
    const { token } = await server.server.services.auth.createSession(user.id);
    return { user, token, http: httpClient(server.url, { token }) };
  };
  const [admin, dana, writer, customer] = [
    await session('admin'),
    await session('agent'),
    await session('agent'),
    await session('customer'),
  ];
  const ticket = await customer.http.tickets.create.mutate({
    subject: 'Refund',
    description: 'Please',
  });

  await using danaSocket = realtimeClient(server.wsUrl, { token: dana.token });
  const inbox = collector();
  danaSocket.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
  await inbox.until(() => inbox.tracked.length > 0, 'the inbox to start');

  // Hold up the deletion of Dana's sessions (it comes after the role change commits).
  const blocker = new pg.Client({ connectionString: server.database.url });
  await blocker.connect();
  await blocker.query('begin');
  await blocker.query('lock table sessions in exclusive mode');
  try {
    const demotion = admin.http.users.update.mutate({ userId: dana.user.id, role: 'customer' });
    for (let i = 0; ; i++) {
      const { rows } = await db.$client.query<{ role: string }>(
        'select role from users where id = $1',
        [dana.user.id],
      );
      if (rows[0]?.role === 'customer') break;
      if (i > 200) throw new Error('the role change never committed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await writer.http.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Internal: refund approved, do not tell yet',
      clientId: randomUUID(),
      internal: true,
    });
    for (let waited = 0; !danaSocket.closes.includes(4401); waited += 20) {
      if (waited > 5_000) throw new Error('the demoted agent’s socket was not closed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Give a wrongly delivered note time to arrive before looking.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const notes = inbox
      .events()
      .filter((e) => e.type === 'message.created' && (e.data as { internal: boolean }).internal);
    expect(notes).toEqual([]);
    await blocker.query('commit');
    await demotion;
  } finally {
    await blocker.end();
  }
});
