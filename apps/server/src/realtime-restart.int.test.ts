import { randomUUID } from 'node:crypto';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { startChildServer } from './testing/child-server';
import { collector, realtimeClient } from './testing/realtime';

let database: TestDatabase;
let steady: TestServer;
const realtime = { presenceHeartbeatMs: 200, presenceTtlMs: 800 };
beforeAll(async () => {
  database = await createTestDatabase();
  steady = await startTestServer({
    database,
    realtime,
    limits: { messagesPerUser: { max: 100_000, windowSeconds: 60 } },
  });
});
afterAll(async () => {
  await steady[Symbol.asyncDispose]();
  await database[Symbol.asyncDispose]();
});

async function signedIn(role: 'customer' | 'agent') {
  const user = await createTestUser(database.db, role);
  const { token } = await steady.server.services.auth.createSession(user.id);
  return { user, token, http: httpClient(steady.url, { token }) };
}

/**
 * A ticket watched over `realtime.onTicket` through a server of its own (`leaving`), by
 * its customer or an agent, with the customer's message 'one' already delivered.
 */
async function watchedOnLeavingServer(watcher: 'customer' | 'agent') {
  const leaving = await startTestServer({ database });
  const customer = await signedIn('customer');
  const person = watcher === 'customer' ? customer : await signedIn('agent');
  const ticket = await customer.http.tickets.create.mutate({
    subject: 'Moving',
    description: 'Then gone',
  });
  let target = leaving.wsUrl;
  const socket = realtimeClient(() => target, { token: person.token });
  const thread = collector();
  socket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, thread.handlers);
  await thread.until(() => thread.tracked.length > 0);
  const send = (body: string) =>
    customer.http.messages.send.mutate({ ticketId: ticket.id, body, clientId: randomUUID() });
  await send('one');
  await thread.until(() => thread.bodies().length === 1);
  return {
    leaving,
    customer,
    ticket,
    socket,
    thread,
    send,
    /** Where the client's next reconnect goes. */
    reconnectTo: (url: string) => {
      target = url;
    },
    async [Symbol.asyncDispose]() {
      await socket[Symbol.asyncDispose]();
      await leaving[Symbol.asyncDispose]();
    },
  };
}

describe('server restarts', () => {
  it('a client of a server killed with SIGKILL and restarted resumes with lastEventId: 0 lost, 0 duplicated', async () => {
    let child = await startChildServer({ databaseUrl: database.url, realtime });
    const port = child.port;
    const customer = await signedIn('customer');
    const agent = await signedIn('agent');
    const ticket = await customer.http.tickets.create.mutate({
      subject: 'Restart',
      description: 'Kill it',
    });

    await using agentSocket = realtimeClient(child.wsUrl, { token: agent.token });
    const thread = collector();
    const inbox = collector();
    agentSocket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, thread.handlers);
    agentSocket.client.realtime.onInbox.subscribe(undefined, inbox.handlers);
    await thread.until(() => thread.tracked.length > 0);
    await inbox.until(() => inbox.tracked.length > 0);
    // The customer watches the ticket through the steady server and sees the agent there.
    await using customerSocket = realtimeClient(steady.wsUrl, { token: customer.token });
    const customerView = collector();
    customerSocket.client.realtime.onTicket.subscribe(
      { ticketId: ticket.id },
      customerView.handlers,
    );
    const viewers = () =>
      customerView.signals
        .flatMap((s) => (s.type === 'presence' ? [s.data.viewers.map((v) => v.id)] : []))
        .at(-1);
    await customerView.until(
      () => viewers()?.includes(agent.user.id) ?? false,
      'the agent to be seen',
    );

    const expected = Array.from({ length: 300 }, (_, i) => `message ${i}`);
    try {
      for (const [i, body] of expected.entries()) {
        if (i === 100) {
          await thread.until(
            () => thread.bodies().length > 50,
            'some of the stream before the kill',
          );
          await child.kill();
        }
        if (i === 200) {
          // The killed process said no goodbye: its viewer expires.
          await customerView.until(() => viewers()?.length === 0, 'the agent’s presence to expire');
          child = await startChildServer({ databaseUrl: database.url, port, realtime });
        }
        await customer.http.messages.send.mutate({
          ticketId: ticket.id,
          body,
          clientId: randomUUID(),
        });
      }
      await thread.until(() => thread.bodies().length >= 300, 'the whole stream on the ticket');
      await inbox.until(() => inbox.bodies().length >= 300, 'the whole stream in the inbox');
      expect(thread.bodies()).toEqual(expected);
      expect(inbox.bodies()).toEqual(expected);
      // Resumed, not restarted: one `ready` each, and cursors strictly increasing.
      for (const seen of [thread, inbox]) {
        expect(seen.tracked.filter((t) => t.data.type === 'ready')).toHaveLength(1);
        const ids = seen.tracked.map((t) => Number(t.id));
        expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
      }
      expect(agentSocket.closes.length).toBeGreaterThanOrEqual(1);
      await customerView.until(
        () => viewers()?.includes(agent.user.id) ?? false,
        'the agent to be back',
      );
    } finally {
      await child.kill();
    }
  }, 240_000);

  it('resumes from its cursor when the last thing before the drop was a typing signal', async () => {
    await using watched = await watchedOnLeavingServer('agent');
    const { thread, customer, ticket } = watched;
    await customer.http.realtime.typing.mutate({ ticketId: ticket.id, typing: true });
    await thread.until(() => thread.signals.some((s) => s.type === 'typing'), 'the typing signal');

    // The server goes away; 'two' is written while the client cannot reconnect anywhere.
    await watched.leaving.server.close();
    await watched.send('two');
    watched.reconnectTo(steady.wsUrl);
    await thread.until(() => thread.bodies().length === 2, 'the message written while away');
    expect(thread.bodies()).toEqual(['one', 'two']);
    // Resumed with lastEventId, not started afresh.
    expect(thread.tracked.filter((t) => t.data.type === 'ready')).toHaveLength(1);
  });

  it('a graceful shutdown sends clients elsewhere, where they resume without loss', async () => {
    await using watched = await watchedOnLeavingServer('customer');
    const { thread } = watched;
    watched.reconnectTo(steady.wsUrl);
    await watched.leaving.server.close();
    await watched.send('two');
    await thread.until(() => thread.bodies().length === 2, 'the message sent during the move');
    expect(thread.bodies()).toEqual(['one', 'two']);
    expect(watched.socket.closes).toEqual([1012]);
  });
});
