import { randomUUID } from 'node:crypto';
import {
  createTestUser,
  postTwilioWebhook,
  startFakeTwilio,
  ticketInput,
  twilioInboundForm,
  type FakeTwilio,
} from '@parley/api/testing';
import { noChannelSettings } from '@parley/api';
import type { Db } from '@parley/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { engineSettled } from './testing/engine-settled';
import { startSmtpInbox, type SmtpInbox } from './testing/smtp-inbox';

type Client = ReturnType<typeof httpClient>;

const publicUrl = 'https://support.example.com';
const ourNumber = '+14155550199';

/** Both channels of the notification engine have nothing left to do. */
async function settled(db: Db): Promise<void> {
  await engineSettled(db, { cursor: 'notify', task: 'notify-sms' }, 30_000);
  await engineSettled(db, { cursor: 'notify', task: 'notify-email' }, 30_000);
}

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

describe('SMS notifications to a verified number (test plan 90)', () => {
  let twilio: FakeTwilio;
  let inbox: SmtpInbox;
  let t: TestServer;
  let agent: Client;

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    inbox = await startSmtpInbox();
    t = await startTestServer({
      mail: { smtpUrl: inbox.url },
      notify: { replyDelaySeconds: 0.3, pollMs: 100 },
      channels: {
        ...noChannelSettings(publicUrl),
        sms: twilio.smsSettings(ourNumber),
        botEnabled: false,
      },
    });
    agent = (await signUp('agent')).client;
  });
  afterAll(async () => {
    await t?.[Symbol.asyncDispose]();
    await inbox?.[Symbol.asyncDispose]();
    await twilio?.[Symbol.asyncDispose]();
  });

  async function signUp(role: 'customer' | 'agent') {
    const user = await createTestUser(t.database.db, role);
    const { token } = await t.server.services.auth.createSession(user.id);
    return { user, client: httpClient(t.url, { token }) };
  }

  const textsTo = (phone: string) => twilio.sent.filter((sms) => sms.to === phone);

  /** The code of the latest text to `phone` (waits for text number `n` to it). */
  async function codeSentTo(phone: string, n: number): Promise<string> {
    await expect.poll(() => textsTo(phone).length, { timeout: 10_000 }).toBe(n);
    const body = textsTo(phone).at(-1)?.body ?? '';
    const code = /\b(\d{6})\b/.exec(body)?.[1];
    if (!code) throw new Error(`no code in "${body}"`);
    return code;
  }

  async function verifiedCustomer(phone: string) {
    const customer = await signUp('customer');
    await customer.client.notifications.phone.add.mutate({ phone });
    const code = await codeSentTo(phone, 1);
    await customer.client.notifications.phone.verify.mutate({ code });
    return customer;
  }

  /** A signed inbound text, as Twilio posts it. */
  async function inbound(from: string, body: string) {
    const answer = await postTwilioWebhook(
      t.url,
      publicUrl,
      twilioInboundForm({ from, to: ourNumber, body }),
      twilio.authToken,
    );
    expect(answer.status).toBe(200);
  }

  async function smsRow(key: string) {
    const { rows } = await t.database.db.$client.query<{
      status: string;
      error: string | null;
      attempts: number;
      body: string;
    }>('select status, error, attempts, body from outgoing_sms where idempotency_key = $1', [key]);
    return rows[0] ?? null;
  }

  it('texts a code, refuses a wrong one, verifies with the right one; SMS switches appear, all off; nobody else sees or verifies the number', async () => {
    const phone = '+14155550123';
    const { client: ana } = await signUp('customer');
    const { client: ben } = await signUp('customer');
    expect(await ana.notifications.phone.get.query()).toEqual({
      available: true,
      phone: null,
      verified: false,
      codePending: false,
      optedOut: false,
    });
    const added = await ana.notifications.phone.add.mutate({ phone: '+1 (415) 555-0123' });
    expect(added).toMatchObject({ phone, verified: false, codePending: true });
    const code = await codeSentTo(phone, 1);
    expect(textsTo(phone)[0]).toMatchObject({ from: ourNumber });
    expect(textsTo(phone)[0]?.body).toContain('expires in 10 minutes');
    // Only a hash of the code is stored.
    const stored = await t.database.db.$client.query<{ code_hash: string }>(
      'select code_hash from notification_phones where phone = $1',
      [phone],
    );
    expect(stored.rows[0]?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows[0]?.code_hash).not.toContain(code);

    // Someone else sees nothing of it and cannot verify it with its code.
    expect((await ben.notifications.phone.get.query()).phone).toBeNull();
    await expect(ben.notifications.phone.verify.mutate({ code })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'No code is waiting: add your number to get one.',
    });

    const wrong = code === '000000' ? '111111' : '000000';
    await expect(ana.notifications.phone.verify.mutate({ code: wrong })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'That code is not right. 4 tries left.',
    });
    // No SMS switch before the number is verified.
    await expect(
      ana.notifications.preferences.set.mutate({
        kind: 'agent_replied',
        channel: 'sms',
        enabled: true,
      }),
    ).rejects.toMatchObject({ message: 'Add and verify your mobile number first' });
    expect(await ana.notifications.preferences.get.query()).not.toContainEqual(
      expect.objectContaining({ channel: 'sms' }),
    );

    expect(await ana.notifications.phone.verify.mutate({ code })).toMatchObject({
      phone,
      verified: true,
      codePending: false,
    });
    const sms = (await ana.notifications.preferences.get.query()).filter(
      (p) => p.channel === 'sms',
    );
    expect(sms).toEqual([
      { kind: 'agent_replied', channel: 'sms', enabled: false },
      { kind: 'ticket_resolved', channel: 'sms', enabled: false },
    ]);
    expect((await ben.notifications.phone.get.query()).phone).toBeNull();
    await expect(
      ben.notifications.preferences.set.mutate({
        kind: 'agent_replied',
        channel: 'sms',
        enabled: true,
      }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });

    // Removing the number takes its switches away.
    expect(await ana.notifications.phone.remove.mutate()).toMatchObject({ phone: null });
    expect(await ana.notifications.preferences.get.query()).not.toContainEqual(
      expect.objectContaining({ channel: 'sms' }),
    );
  });

  it('refuses an expired code, and any code after too many tries', async () => {
    const phone = '+14155550124';
    const { client } = await signUp('customer');
    await client.notifications.phone.add.mutate({ phone });
    const first = await codeSentTo(phone, 1);
    await t.database.db.$client.query(
      "update notification_phones set code_expires_at = now() - interval '1 minute' where phone = $1",
      [phone],
    );
    await expect(client.notifications.phone.verify.mutate({ code: first })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'This code has expired. Ask for a new code.',
    });

    await client.notifications.phone.add.mutate({ phone });
    const second = await codeSentTo(phone, 2);
    const wrong = second === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      await expect(client.notifications.phone.verify.mutate({ code: wrong })).rejects.toMatchObject(
        { data: { code: 'BAD_REQUEST' } },
      );
    }
    await expect(client.notifications.phone.verify.mutate({ code: second })).rejects.toMatchObject({
      data: { code: 'TOO_MANY_REQUESTS' },
      message: 'Too many tries at this code. Ask for a new code.',
    });
    expect(await client.notifications.phone.get.query()).toMatchObject({
      verified: false,
      codePending: false,
    });
  });

  it('limits code requests (TOO_MANY_REQUESTS) and refuses a number it cannot text', async () => {
    const phone = '+14155550125';
    const { client } = await signUp('customer');
    await expect(
      client.notifications.phone.add.mutate({ phone: '4155550125' }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'Start with + and the country code, like +44 20 7946 0958',
    });
    await expect(
      client.notifications.phone.add.mutate({ phone: '+442079460958' }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: 'That is a landline number. Enter a mobile number for texts.',
    });
    for (let i = 0; i < 3; i++) await client.notifications.phone.add.mutate({ phone });
    const over = client.notifications.phone.add.mutate({ phone });
    await expect(over).rejects.toMatchObject({ data: { code: 'TOO_MANY_REQUESTS' } });
    await expect(over).rejects.toThrow(/^Too many requests\. Try again in about/);
    expect(textsTo(phone)).toHaveLength(3);
  });

  it('texts an agent’s reply once with the switch on (email unchanged), nothing with it off, nothing after STOP (recorded), again after START', async () => {
    const phone = '+14155550126';
    const { user, client: customer } = await verifiedCustomer(phone);
    await customer.notifications.preferences.set.mutate({
      kind: 'agent_replied',
      channel: 'sms',
      enabled: true,
    });
    const ticket = await customer.tickets.create.mutate(
      ticketInput({ subject: 'Parcel never came' }),
    );
    const reply = async (body: string) => {
      const sent = await agent.messages.send.mutate({
        ticketId: ticket.id,
        body,
        clientId: randomUUID(),
      });
      const eventId = await messageEventId(t.database.db, ticket.id, sent.seq);
      return {
        sms: `sms:${eventId}:agent_replied:${user.id}`,
        email: `email:${eventId}:agent_replied:${user.id}`,
      };
    };

    // On: one text, with the ticket and its link, never the reply's words; the email too.
    const first = await reply('Your parcel is at the depot.');
    await expect.poll(() => textsTo(phone).length, { timeout: 20_000 }).toBe(2);
    await settled(t.database.db);
    expect(textsTo(phone)).toHaveLength(2);
    const text = textsTo(phone)[1]!;
    expect(text.from).toBe(ourNumber);
    expect(text.body).toContain(`[#${ticket.number}] New reply: Parcel never came`);
    // The link is the email's: the ticket's page at the server's public address.
    expect(text.body).toMatch(new RegExp(`\nRead and reply: http://[^/]+/tickets/${ticket.id}\n`));
    expect(text.body).toContain('Reply STOP');
    expect(text.body).not.toContain('depot');
    expect(await smsRow(first.sms)).toMatchObject({ status: 'sent', attempts: 1 });
    await inbox.waitFor(() => inbox.withKey(first.email).length > 0);
    expect(inbox.withKey(first.email)).toHaveLength(1);

    // An internal note texts nobody.
    await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'INTERNAL: chargeback risk',
      clientId: randomUUID(),
      internal: true,
    });
    await settled(t.database.db);
    expect(textsTo(phone)).toHaveLength(2);
    // Off: nothing by SMS, the email still goes.
    await customer.notifications.preferences.set.mutate({
      kind: 'agent_replied',
      channel: 'sms',
      enabled: false,
    });
    const off = await reply('Any news on your side?');
    await inbox.waitFor(() => inbox.withKey(off.email).length > 0);
    await settled(t.database.db);
    expect(textsTo(phone)).toHaveLength(2);
    expect(await smsRow(off.sms)).toBeNull();

    // STOP from the number: the next notification is recorded failed, not sent or retried.
    await customer.notifications.preferences.set.mutate({
      kind: 'agent_replied',
      channel: 'sms',
      enabled: true,
    });
    await inbound(phone, 'STOP');
    expect(await customer.notifications.phone.get.query()).toMatchObject({
      verified: true,
      optedOut: true,
    });
    const stopped = await reply('We shipped a new one.');
    await expect.poll(() => smsRow(stopped.sms), { timeout: 20_000 }).not.toBeNull();
    await settled(t.database.db);
    expect(textsTo(phone)).toHaveLength(2);
    expect(await smsRow(stopped.sms)).toMatchObject({ status: 'failed', attempts: 0 });
    expect((await smsRow(stopped.sms))?.error).toContain('STOP');

    // START: texts go again.
    await inbound(phone, 'START');
    expect((await customer.notifications.phone.get.query()).optedOut).toBe(false);
    const started = await reply('Tracking number is 1Z999.');
    await expect.poll(() => textsTo(phone).length, { timeout: 20_000 }).toBe(3);
    await settled(t.database.db);
    expect(await smsRow(started.sms)).toMatchObject({ status: 'sent' });

    // A refusal Twilio calls permanent is recorded failed after one try, not retried.
    twilio.failNext(400, { code: 21614, message: "'To' number is not a valid mobile number" });
    const refused = await reply('One more thing.');
    await expect
      .poll(async () => (await smsRow(refused.sms))?.status, { timeout: 20_000 })
      .toBe('failed');
    await settled(t.database.db);
    expect(await smsRow(refused.sms)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(textsTo(phone)).toHaveLength(3);
  });

  it('texts a team member only the kinds switched on (the customer’s reply, not the assignment), with the agent link', async () => {
    const phone = '+14155550127';
    const dana = await signUp('agent');
    await dana.client.notifications.phone.add.mutate({ phone });
    await dana.client.notifications.phone.verify.mutate({ code: await codeSentTo(phone, 1) });
    const sms = (await dana.client.notifications.preferences.get.query()).filter(
      (p) => p.channel === 'sms',
    );
    expect(sms.map((p) => [p.kind, p.enabled])).toEqual([
      ['ticket_assigned', false],
      ['customer_replied', false],
      ['new_unassigned_ticket', false],
    ]);
    await dana.client.notifications.preferences.set.mutate({
      kind: 'customer_replied',
      channel: 'sms',
      enabled: true,
    });
    const { client: customer } = await signUp('customer');
    const ticket = await customer.tickets.create.mutate(ticketInput({ subject: 'Wrong size' }));
    // Assignments stay off by SMS: nothing for this one.
    await agent.tickets.update.mutate({ ticketId: ticket.id, assigneeId: dana.user.id });
    await settled(t.database.db);
    expect(textsTo(phone)).toHaveLength(1);
    await customer.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Size M please, not L.',
      clientId: randomUUID(),
    });
    await expect.poll(() => textsTo(phone).length, { timeout: 20_000 }).toBe(2);
    await settled(t.database.db);
    expect(textsTo(phone)).toHaveLength(2);
    const text = textsTo(phone)[1]!.body ?? '';
    expect(text).toContain(`[#${ticket.number}] Customer replied: Wrong size`);
    expect(text).toMatch(
      new RegExp(`\nOpen the ticket: http://[^/]+/agent/tickets/${ticket.id}\n`),
    );
    expect(text).not.toContain('Size M');
  });
});
