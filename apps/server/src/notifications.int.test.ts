import { randomUUID } from 'node:crypto';
import { createAuth } from '@parley/api';
import { createSupportDeskUsers, ticketInput, type SupportDeskUsers } from '@parley/api/testing';
import { createTestDatabase } from '@parley/db/testing';
import { logCursorPosition, latestEventId, type Db } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startChildServer, startTestServer, type TestServer } from './testing';
import { engineSettled } from './testing/engine-settled';
import { startSmtpInbox, type SmtpInbox } from './testing/smtp-inbox';

type Client = ReturnType<typeof httpClient>;

/** Short enough for a test, long enough to read a reply "live" before it. */
const replyDelaySeconds = 1.5;
const notify = (smtpUrl: string | null) => ({
  mail: { smtpUrl },
  notify: { replyDelaySeconds, pollMs: 200 },
});

const settled = (db: Db, timeoutMs = 20_000) =>
  engineSettled(db, { cursor: 'notify', task: 'notify-email' }, timeoutMs);

const keyOf = (eventId: number, kind: string, userId: string) =>
  `email:${eventId}:${kind}:${userId}`;

/** The event id of a ticket's message (its `message.created`). */
async function messageEventId(db: Db, ticketId: string, seq: number): Promise<number> {
  const found = await db.$client.query<{ id: number }>(
    `select id::int as id from events
     where ticket_id = $1 and type = 'message.created' and (payload->>'seq')::int = $2`,
    [ticketId, seq],
  );
  const id = found.rows[0]?.id;
  if (id === undefined) throw new Error(`no event for message ${seq}`);
  return id;
}

describe('email notifications from the event log', () => {
  let inbox: SmtpInbox;
  let t: TestServer;
  let users: SupportDeskUsers;
  let customer: Client;
  let agent: Client;
  let admin: Client;

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    t = await startTestServer({ ...notify(inbox.url) });
    users = await createSupportDeskUsers(t.database.db);
    const tokenOf = async (id: string) => (await t.server.services.auth.createSession(id)).token;
    customer = httpClient(t.url, { token: await tokenOf(users.customerA.id) });
    agent = httpClient(t.url, { token: await tokenOf(users.agent.id) });
    admin = httpClient(t.url, { token: await tokenOf(users.admin.id) });
  });
  afterAll(async () => {
    await t[Symbol.asyncDispose]();
    await inbox[Symbol.asyncDispose]();
  });

  const reply = (ticketId: string, body: string, internal = false) =>
    agent.messages.send.mutate({ ticketId, body, clientId: randomUUID(), internal });

  it('emails a customer who is not watching an agent’s public reply, once, threaded, with an unsubscribe link', async () => {
    const ticket = await customer.tickets.create.mutate(ticketInput());
    const sent = await reply(ticket.id, 'Your parcel is at the depot, it ships tomorrow.');
    const key = keyOf(
      await messageEventId(t.database.db, ticket.id, sent.seq),
      'agent_replied',
      users.customerA.id,
    );
    await inbox.waitFor(() => inbox.withKey(key).length > 0);
    await settled(t.database.db);

    const mails = inbox.withKey(key);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    const root = `<ticket-${ticket.id}@localhost>`;
    expect(mail?.to).toEqual([users.customerA.email]);
    expect(mail?.headers.get('subject')).toContain(`[#${ticket.number}]`);
    expect(mail?.headers.get('in-reply-to')).toBe(root);
    expect(mail?.headers.get('references')).toBe(root);
    expect(mail?.headers.get('message-id')).not.toBe(root);
    expect(mail?.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail?.headers.get('list-unsubscribe')).toMatch(
      /^<http:\/\/[^>]+\/unsubscribe\?token=[\w.-]+>$/,
    );
    expect(mail?.raw).toContain('Your parcel is at the depot');

    // The confirmation of the new ticket opened the thread the reply answers.
    const created = inbox.mails.filter(
      (m) => m.headers.get('message-id') === root && m.to[0] === users.customerA.email,
    );
    expect(created).toHaveLength(1);
  });

  it('sends nothing for a reply the customer read live, before the delay', async () => {
    const ticket = await customer.tickets.create.mutate(ticketInput());
    const sent = await reply(ticket.id, 'Refund issued, you will see it in 3 days.');
    await customer.messages.markRead.mutate({ ticketId: ticket.id, seq: sent.seq });
    const key = keyOf(
      await messageEventId(t.database.db, ticket.id, sent.seq),
      'agent_replied',
      users.customerA.id,
    );
    // The job was planned (the pump ran) and ran at its time, and found it read.
    await expect.poll(() => jobExists(t.database.db, key), { timeout: 10_000 }).toBe(true);
    await settled(t.database.db);
    expect(inbox.withKey(key)).toEqual([]);
    expect(await mailRows(t.database.db, key)).toBe(0);
  });

  it('sends a customer nothing for an internal note', async () => {
    const ticket = await customer.tickets.create.mutate(ticketInput());
    const before = inbox.mails.length;
    const note = await reply(ticket.id, 'INTERNAL: customer is a known chargeback risk', true);
    await settled(t.database.db);
    const noteEvent = await messageEventId(t.database.db, ticket.id, note.seq);
    expect(inbox.mails.slice(before).filter((m) => m.raw.includes('chargeback'))).toEqual([]);
    expect(inbox.mails.some((m) => m.raw.includes('chargeback'))).toBe(false);
    expect(await mailsOfEvent(t.database.db, noteEvent)).toBe(0);
  });

  it('sends nothing once the customer switched replies off, and again after switching back on', async () => {
    const off = await customer.notifications.preferences.set.mutate({
      kind: 'agent_replied',
      channel: 'email',
      enabled: false,
    });
    expect(off).toContainEqual({ kind: 'agent_replied', channel: 'email', enabled: false });
    const ticket = await customer.tickets.create.mutate(ticketInput());
    const sent = await reply(ticket.id, 'We found your order.');
    await settled(t.database.db);
    const key = keyOf(
      await messageEventId(t.database.db, ticket.id, sent.seq),
      'agent_replied',
      users.customerA.id,
    );
    expect(inbox.withKey(key)).toEqual([]);

    await customer.notifications.preferences.set.mutate({
      kind: 'agent_replied',
      channel: 'email',
      enabled: true,
    });
    const again = await reply(ticket.id, 'And it ships today.');
    const againKey = keyOf(
      await messageEventId(t.database.db, ticket.id, again.seq),
      'agent_replied',
      users.customerA.id,
    );
    await inbox.waitFor(() => inbox.withKey(againKey).length === 1);
  });

  it('refuses a preference of the other side (a customer cannot pick agents’ kinds)', async () => {
    await expect(
      customer.notifications.preferences.set.mutate({
        kind: 'ticket_assigned',
        channel: 'email',
        enabled: false,
      }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    const mine = await agent.notifications.preferences.get.query();
    expect(mine.map((p) => p.kind).sort()).toEqual(
      ['customer_replied', 'new_unassigned_ticket', 'ticket_assigned'].sort(),
    );
    expect(mine).toContainEqual({
      kind: 'new_unassigned_ticket',
      channel: 'email',
      enabled: false,
    });
  });

  it('switches the preference off from the one-click unsubscribe link (RFC 8058)', async () => {
    const ticket = await customer.tickets.create.mutate(ticketInput());
    const sent = await reply(ticket.id, 'Here is your tracking number.');
    const key = keyOf(
      await messageEventId(t.database.db, ticket.id, sent.seq),
      'agent_replied',
      users.customerA.id,
    );
    await inbox.waitFor(() => inbox.withKey(key).length === 1);
    const header = inbox.withKey(key)[0]?.headers.get('list-unsubscribe') ?? '';
    const link = new URL(header.slice(1, -1));
    const local = new URL(`${link.pathname}${link.search}`, t.url);

    // Opening the link (or a scanner fetching it) only shows a button.
    const page = await fetch(local);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(await customer.notifications.preferences.get.query()).toContainEqual({
      kind: 'agent_replied',
      channel: 'email',
      enabled: true,
    });

    const forged = new URL(local);
    forged.searchParams.set('token', `${link.searchParams.get('token') ?? ''}x`);
    const refused = await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(refused.status).toBe(400);

    const oneClick = await fetch(local, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await customer.notifications.preferences.get.query()).toContainEqual({
      kind: 'agent_replied',
      channel: 'email',
      enabled: false,
    });
    const after = await reply(ticket.id, 'Anything else?');
    await settled(t.database.db);
    const afterKey = keyOf(
      await messageEventId(t.database.db, ticket.id, after.seq),
      'agent_replied',
      users.customerA.id,
    );
    expect(inbox.withKey(afterKey)).toEqual([]);
    await customer.notifications.preferences.set.mutate({
      kind: 'agent_replied',
      channel: 'email',
      enabled: true,
    });
  });

  it('tells the assignee when they get a ticket and when its customer replies, and the customer when it is resolved', async () => {
    const ticket = await customer.tickets.create.mutate(ticketInput());
    await admin.tickets.update.mutate({ ticketId: ticket.id, assigneeId: users.agent.id });
    await customer.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Any news?',
      clientId: randomUUID(),
    });
    await agent.tickets.update.mutate({ ticketId: ticket.id, status: 'resolved' });
    await settled(t.database.db);
    const about = (kind: string, to: string) =>
      inbox.mails.filter(
        (m) =>
          m.headers.get('x-parley-ticket') === String(ticket.number) &&
          (m.headers.get('x-parley-idempotency-key') ?? '').includes(`:${kind}:`) &&
          m.to[0] === to,
      );
    expect(about('ticket_assigned', users.agent.email)).toHaveLength(1);
    expect(about('customer_replied', users.agent.email)).toHaveLength(1);
    expect(about('ticket_resolved', users.customerA.email)).toHaveLength(1);
    expect(about('ticket_resolved', users.customerA.email)[0]?.raw).toContain('Rate our answer');
  });
});

describe('email notifications without SMTP', () => {
  it('keeps every email in outgoing_mail, listed newest first for admins with the rendered message', async () => {
    await using t = await startTestServer({ ...notify(null) });
    const users = await createSupportDeskUsers(t.database.db);
    const tokenOf = async (id: string) => (await t.server.services.auth.createSession(id)).token;
    const customer = httpClient(t.url, { token: await tokenOf(users.customerA.id) });
    const agent = httpClient(t.url, { token: await tokenOf(users.agent.id) });
    const admin = httpClient(t.url, { token: await tokenOf(users.admin.id) });

    const ticket = await customer.tickets.create.mutate(ticketInput());
    await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Kept, not lost.',
      clientId: randomUUID(),
    });
    await settled(t.database.db);

    await expect(agent.notifications.outgoingMail.list.query()).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    const first = await admin.notifications.outgoingMail.list.query({ limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({
      kind: 'agent_replied',
      to: users.customerA.email,
      status: 'kept',
      sentAt: null,
    });
    expect(first.items[0]?.html).toContain('Kept, not lost.');
    expect(first.items[0]?.text).toContain('> Kept, not lost.');
    expect(first.items[0]?.subject).toContain(`[#${ticket.number}]`);
    const second = await admin.notifications.outgoingMail.list.query({
      limit: 1,
      cursor: first.nextCursor,
    });
    expect(second.items.map((m) => m.kind)).toEqual(['ticket_created']);
    expect(second.nextCursor).toBeNull();
  });
});

describe('several server processes on one database', () => {
  it('send each email exactly once', async () => {
    await using inbox = await startSmtpInbox();
    await using one = await startTestServer({ ...notify(inbox.url) });
    await using two = await startTestServer({ ...notify(inbox.url), database: one.database });
    const users = await createSupportDeskUsers(one.database.db);
    const tokenOf = async (id: string) => (await one.server.services.auth.createSession(id)).token;
    const customers = [
      httpClient(one.url, { token: await tokenOf(users.customerA.id) }),
      httpClient(two.url, { token: await tokenOf(users.customerB.id) }),
    ];
    const agents = [
      httpClient(two.url, { token: await tokenOf(users.agent.id) }),
      httpClient(one.url, { token: await tokenOf(users.admin.id) }),
    ];
    const tickets = 6;
    await Promise.all(
      Array.from({ length: tickets }, async (_, i) => {
        const ticket = await customers[i % 2]!.tickets.create.mutate(ticketInput());
        await agents[i % 2]!.messages.send.mutate({
          ticketId: ticket.id,
          body: `Answer ${i}`,
          clientId: randomUUID(),
        });
      }),
    );
    // A confirmation and a reply per ticket.
    await inbox.waitFor((mails) => mails.length >= tickets * 2);
    await settled(one.database.db);
    const keys = inbox.mails.map((m) => m.headers.get('x-parley-idempotency-key'));
    expect(keys).toHaveLength(tickets * 2);
    expect(new Set(keys).size).toBe(tickets * 2);
    const rows = await one.database.db.$client.query<{ status: string; n: number }>(
      'select status, count(*)::int as n from outgoing_mail group by status',
    );
    expect(rows.rows).toEqual([{ status: 'sent', n: tickets * 2 }]);
  });
});

describe('a server killed (SIGKILL) after planning, before sending', () => {
  it('loses no email and doubles none: another process sends what the dead one planned', async () => {
    await using inbox = await startSmtpInbox();
    await using database = await createTestDatabase();
    const { db } = database;
    // The replies wait in the child's queue far longer than this test runs: a loaded CI
    // (load 15) took more than the 6 s once used just to open the tickets and send the
    // confirmations, so replies came due (or went out) before the child was killed.
    const settings = { replyDelaySeconds: 0.3, pollMs: 200 };
    await using child = await startChildServer({
      databaseUrl: database.url,
      env: {
        PARLEY_TEST_NOTIFY: JSON.stringify({ ...settings, replyDelaySeconds: 3600 }),
        PARLEY_TEST_SMTP_URL: inbox.url,
      },
    });
    const users = await createSupportDeskUsers(db);
    const auth = createAuth(db);
    const tokenOf = async (id: string) => (await auth.createSession(id)).token;
    const childUrl = `http://127.0.0.1:${child.port}`;
    const customers = [
      httpClient(childUrl, { token: await tokenOf(users.customerA.id) }),
      httpClient(childUrl, { token: await tokenOf(users.customerB.id) }),
    ];
    const agent = httpClient(childUrl, { token: await tokenOf(users.agent.id) });

    const tickets = 8;
    const opened = await Promise.all(
      Array.from({ length: tickets }, async (_, i) => {
        const ticket = await customers[i % 2]!.tickets.create.mutate(ticketInput());
        await agent.messages.send.mutate({
          ticketId: ticket.id,
          body: `Before the crash ${i}`,
          clientId: randomUUID(),
        });
        return ticket;
      }),
    );
    // The child planned everything (its cursor is at the end of the log) and sent the
    // confirmations; the replies wait in the queue for their delay. Now it dies.
    await expect
      .poll(
        async () => {
          const latest = await latestEventId(db);
          const cursor = (await logCursorPosition(db, 'notify')) ?? 0;
          const due = await db.$client.query<{ n: number }>(
            'select count(*)::int as n from graphile_worker.jobs where run_at <= now()',
          );
          const sent = await db.$client.query<{ n: number }>(
            `select count(*)::int as n from outgoing_mail where status = 'sent'`,
          );
          return cursor >= latest && due.rows[0]?.n === 0 && sent.rows[0]?.n === tickets;
        },
        { timeout: 60_000, interval: 50 },
      )
      .toBe(true);
    const replies = () =>
      inbox.mails.filter((m) =>
        m.headers.get('x-parley-idempotency-key')?.includes(':agent_replied:'),
      );
    expect(replies()).toEqual([]);
    await child.kill();
    // What the dead process planned comes due now (their hour is not waited out).
    const planned = await db.$client.query<{ id: string }>(
      'select id from graphile_worker.jobs where locked_at is null',
    );
    expect(planned.rows).toHaveLength(tickets);
    await db.$client.query(
      'select graphile_worker.reschedule_jobs($1::bigint[], run_at := now())',
      [planned.rows.map((row) => row.id)],
    );

    // Another process takes over, and the stream goes on through it.
    await using survivor = await startTestServer({
      mail: { smtpUrl: inbox.url },
      notify: settings,
      database,
    });
    const agentThere = httpClient(survivor.url, { token: await tokenOf(users.agent.id) });
    for (const ticket of opened.slice(0, 4)) {
      await agentThere.messages.send.mutate({
        ticketId: ticket.id,
        body: 'After the crash',
        clientId: randomUUID(),
      });
    }
    const expected = tickets * 2 + 4;
    await inbox.waitFor((mails) => mails.length >= expected, 30_000);
    await settled(db, 30_000);
    const keys = inbox.mails.map((m) => m.headers.get('x-parley-idempotency-key'));
    expect(keys).toHaveLength(expected);
    expect(new Set(keys).size).toBe(expected);
    expect(replies()).toHaveLength(tickets + 4);
  }, 150_000);
});

async function jobExists(db: Db, key: string): Promise<boolean> {
  const found = await db.$client.query('select 1 from graphile_worker.jobs where key = $1', [key]);
  return (found.rowCount ?? 0) > 0;
}

async function mailRows(db: Db, key: string): Promise<number> {
  const found = await db.$client.query<{ n: number }>(
    'select count(*)::int as n from outgoing_mail where idempotency_key = $1',
    [key],
  );
  return found.rows[0]?.n ?? 0;
}

async function mailsOfEvent(db: Db, eventId: number): Promise<number> {
  const found = await db.$client.query<{ n: number }>(
    'select count(*)::int as n from outgoing_mail where idempotency_key like $1',
    [`email:${eventId}:%`],
  );
  return found.rows[0]?.n ?? 0;
}

describe('a server killed (SIGKILL) in the middle of a send', () => {
  it('has its email sent once by another process, without waiting out the job lock', async () => {
    // The inbox holds its answer to the first message: the sender has handed over the
    // whole email and waits for the "250 OK" when it dies.
    await using inbox = await startSmtpInbox({ hold: true });
    await using database = await createTestDatabase();
    const { db } = database;
    const settings = { replyDelaySeconds: 0, pollMs: 200, staleJobSeconds: 1 };
    await using child = await startChildServer({
      databaseUrl: database.url,
      env: { PARLEY_TEST_NOTIFY: JSON.stringify(settings), PARLEY_TEST_SMTP_URL: inbox.url },
    });
    const users = await createSupportDeskUsers(db);
    const { token } = await createAuth(db).createSession(users.customerA.id);
    const customer = httpClient(`http://127.0.0.1:${child.port}`, { token });
    await customer.tickets.create.mutate(ticketInput()); // its confirmation is the one email
    await inbox.waitFor(() => inbox.held === 1, 30_000);
    await child.kill();
    await inbox.waitFor(() => inbox.held === 0); // the dead sender's connection closed
    expect(inbox.mails).toEqual([]);
    inbox.release();

    // The job is still locked by the dead process's worker (graphile-worker would wait
    // 4 hours); the survivor sees that worker's process has no connection left.
    await using _survivor = await startTestServer({
      mail: { smtpUrl: inbox.url },
      notify: settings,
      database,
    });
    await inbox.waitFor((mails) => mails.length > 0, 30_000);
    await settled(db, 30_000);
    const keys = inbox.mails.map((m) => m.headers.get('x-parley-idempotency-key'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toContain(`:${users.customerA.id}`);
    const rows = await db.$client.query<{ status: string }>('select status from outgoing_mail');
    expect(rows.rows).toEqual([{ status: 'sent' }]);
  }, 120_000);
});

describe('the auto-close job', () => {
  it('tells the customer once that their ticket was closed automatically, and sends nothing for a close by a person', async () => {
    await using inbox = await startSmtpInbox();
    // The job looks twice a second; a ticket resolved over 2 days ago is stale.
    await using t = await startTestServer({
      ...notify(inbox.url),
      autoClose: { afterDays: 2, intervalSeconds: 0.5 },
    });
    const users = await createSupportDeskUsers(t.database.db);
    const tokenOf = async (id: string) => (await t.server.services.auth.createSession(id)).token;
    const customer = httpClient(t.url, { token: await tokenOf(users.customerA.id) });
    const agent = httpClient(t.url, { token: await tokenOf(users.agent.id) });

    const stale = await customer.tickets.create.mutate(ticketInput());
    await agent.messages.send.mutate({
      ticketId: stale.id,
      body: 'Refund issued, it shows in 3 days.',
      clientId: randomUUID(),
    });
    const byCustomer = await customer.tickets.create.mutate(ticketInput());
    const byAgent = await customer.tickets.create.mutate(ticketInput());
    for (const ticket of [stale, byCustomer])
      await agent.tickets.update.mutate({ ticketId: ticket.id, status: 'resolved' });
    // The customer closes a resolved ticket, an agent an open one: both by hand.
    await customer.tickets.close.mutate({ ticketId: byCustomer.id });
    await agent.tickets.close.mutate({ ticketId: byAgent.id });
    await t.database.db.$client.query(
      `update tickets set resolved_at = now() - interval '3 days' where id = $1`,
      [stale.id],
    );

    const autoClosed = (ticket: { number: number }) =>
      inbox.mails.filter(
        (m) =>
          m.headers.get('x-parley-ticket') === String(ticket.number) &&
          (m.headers.get('x-parley-idempotency-key') ?? '').includes(':ticket_auto_closed:'),
      );
    await inbox.waitFor(() => autoClosed(stale).length > 0, 30_000);
    expect((await agent.tickets.byId.query({ ticketId: stale.id })).status).toBe('closed');
    // Let the job run again and the engine finish: still one email, and none for the others.
    const closeEvent = await t.database.db.$client.query<{ id: number }>(
      `select id::int as id from events where ticket_id = $1 and type = 'message.created'
       and payload->'author'->>'role' = 'system' and payload->'author'->>'id' is null`,
      [stale.id],
    );
    expect(closeEvent.rows).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await settled(t.database.db, 30_000);

    const [mail, ...more] = autoClosed(stale);
    expect(more).toEqual([]);
    expect(mail?.to).toEqual([users.customerA.email]);
    expect(mail?.headers.get('x-parley-idempotency-key')).toBe(
      keyOf(closeEvent.rows[0]?.id ?? 0, 'ticket_auto_closed', users.customerA.id),
    );
    expect(mail?.headers.get('subject')).toContain(`[#${stale.number}] Closed automatically`);
    expect(mail?.headers.get('list-unsubscribe')).toMatch(/^<http.*\/unsubscribe\?token=/);
    expect(mail?.raw).toContain('Reopen ticket');
    expect(mail?.raw).toContain('Refund issued');
    expect(autoClosed(byCustomer)).toEqual([]);
    expect(autoClosed(byAgent)).toEqual([]);
    expect(
      inbox.mails.filter((m) => m.headers.get('x-parley-ticket') === String(byCustomer.number))
        .length,
    ).toBeGreaterThan(0); // the engine did mail about it (created, resolved): it was planned
  });
});
