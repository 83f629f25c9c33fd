import { randomUUID } from 'node:crypto';
import {
  createSupportDeskUsers,
  postTwilioWebhook,
  startFakeTwilio,
  twilioInboundForm,
  twilioSid,
  twilioStatusForm,
  type FakeTwilio,
  type SupportDeskUsers,
  type TwilioForm,
} from '@parley/api/testing';
import { noChannelSettings } from '@parley/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { engineSettled } from './testing/engine-settled';

type Client = ReturnType<typeof httpClient>;

/** The address Twilio is told to call (it signs this URL, whatever port the test uses). */
const publicUrl = 'https://support.example.com';
const ourNumber = '+14155550199';

describe('SMS over Twilio (test plan 80)', () => {
  let twilio: FakeTwilio;
  let t: TestServer;
  let users: SupportDeskUsers;
  let agent: Client;

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    t = await startTestServer({
      notify: { pollMs: 100 },
      channels: {
        ...noChannelSettings(publicUrl),
        sms: twilio.smsSettings(ourNumber),
        botEnabled: false,
        closingMessage: 'This conversation is closed. Text us again any time.',
      },
    });
    users = await createSupportDeskUsers(t.database.db);
    const { token } = await t.server.services.auth.createSession(users.agent.id);
    agent = httpClient(t.url, { token });
  });
  afterAll(async () => {
    await t?.[Symbol.asyncDispose]();
    await twilio?.[Symbol.asyncDispose]();
  });

  /** Posts a webhook to the server as Twilio would (signed for the public URL). */
  function post(form: TwilioForm, token = twilio.authToken) {
    return postTwilioWebhook(t.url, publicUrl, form, token);
  }

  const inbound = (from: string, body: string, sid = twilioSid('SM')) =>
    post(twilioInboundForm({ from, to: ourNumber, body, sid }));

  async function ticketOf(phone: string) {
    const page = await agent.tickets.list.query({ limit: 50 });
    return page.items.find((item) => item.customer.name === phone);
  }

  it('takes in a signed text as a ticket on the SMS channel, once however often Twilio retries', async () => {
    const from = '+14155550101';
    const sid = twilioSid('SM');
    const first = await inbound(from, 'My order never arrived', sid);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/xml');
    expect(await first.text()).toContain('<Response></Response>');
    expect((await inbound(from, 'My order never arrived', sid)).status).toBe(200);

    const ticket = await ticketOf(from);
    expect(ticket).toMatchObject({ channel: 'sms', subject: 'My order never arrived' });
    const all = await agent.tickets.list.query({ limit: 50 });
    expect(all.items.filter((item) => item.customer.name === from)).toHaveLength(1);

    // A second text joins the same open ticket.
    expect((await inbound(from, 'Order 1234')).status).toBe(200);
    const thread = await agent.messages.list.query({ ticketId: ticket!.id, limit: 50 });
    expect(thread.items.map((m) => m.body)).toEqual(['Order 1234']);
  });

  it('adds a first text retried after its ticket committed once (a failure between the ticket and its record)', async () => {
    const from = '+14155550105';
    const sid = twilioSid('SM');
    expect((await inbound(from, 'Is my parcel lost?', sid)).status).toBe(200);
    // As if the process died after the ticket committed and before the text was recorded.
    await t.database.db.$client.query(
      'delete from channel_messages where provider_message_id = $1',
      [sid],
    );
    expect((await inbound(from, 'Is my parcel lost?', sid)).status).toBe(200);
    const ticket = (await ticketOf(from))!;
    expect(ticket.subject).toBe('Is my parcel lost?');
    const thread = await agent.messages.list.query({ ticketId: ticket.id, limit: 50 });
    expect(thread.items.filter((m) => m.author.role === 'customer')).toEqual([]);
    const recorded = await t.database.db.$client.query(
      'select 1 from channel_messages where provider_message_id = $1',
      [sid],
    );
    expect(recorded.rowCount).toBe(1);
  });

  it('never files a number’s texts under someone who only typed that number (a chat’s pre-chat form)', async () => {
    const from = '+14155550104';
    // Anyone can start a chat with any phone number and their own email address.
    const claimant = await t.database.db.$client.query<{ id: string }>(
      `insert into users (email, name, role, phone) values ('claimant@example.com', 'Claimant', 'customer', $1) returning id`,
      [from],
    );
    expect((await inbound(from, 'My bank card was charged twice')).status).toBe(200);
    const ticket = await ticketOf(from);
    expect(ticket).toMatchObject({ channel: 'sms' });
    const owner = await t.database.db.$client.query<{ customer_id: string; email: string }>(
      'select t.customer_id, u.email from tickets t join users u on u.id = t.customer_id where t.id = $1',
      [ticket!.id],
    );
    expect(owner.rows[0]!.customer_id).not.toBe(claimant.rows[0]!.id);
    expect(owner.rows[0]!.email).toMatch(/@contacts\.invalid$/);
  });

  it('refuses a forged or missing signature with 401 and stores nothing', async () => {
    const from = '+14155550102';
    const forged = await post(
      twilioInboundForm({ from, to: ourNumber, body: 'hi' }),
      'wrong-token',
    );
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${t.url}/webhooks/twilio`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(twilioInboundForm({ from, to: ourNumber, body: 'hi' })).toString(),
    });
    expect(unsigned.status).toBe(401);
    expect(await ticketOf(from)).toBeUndefined();
    const contacts = await t.database.db.$client.query('select 1 from users where phone = $1', [
      from,
    ]);
    expect(contacts.rowCount).toBe(0);
  });

  it("sends the agent's reply by SMS, shows its delivery, and honours STOP and START", async () => {
    const from = '+14155550103';
    await inbound(from, 'Where is my refund?');
    const ticket = (await ticketOf(from))!;
    const before = twilio.sent.length;
    const reply = await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'It went out yesterday.',
      clientId: randomUUID(),
    });
    const [sent] = (await twilio.waitForSends(before + 1, 30_000)).slice(before);
    expect(sent).toMatchObject({ to: from, from: ourNumber, body: 'It went out yesterday.' });
    expect(sent!.statusCallback).toBe(`${publicUrl}/webhooks/twilio`);
    await expect
      .poll(async () => {
        const thread = await agent.messages.list.query({ ticketId: ticket.id, limit: 50 });
        return thread.items.find((m) => m.id === reply.id)?.delivery?.status;
      })
      .toBe('sent');

    // Twilio reports it delivered: the agent sees it.
    expect((await post(twilioStatusForm({ sid: sent!.sid, status: 'delivered' }))).status).toBe(
      200,
    );
    const delivered = await agent.messages.list.query({ ticketId: ticket.id, limit: 50 });
    expect(delivered.items.find((m) => m.id === reply.id)?.delivery).toEqual({
      channel: 'sms',
      status: 'delivered',
      error: null,
    });

    // STOP: the next reply is not sent, and the agent is told why.
    await inbound(from, 'STOP');
    const muted = await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Anything else?',
      clientId: randomUUID(),
    });
    await engineSettled(t.database.db, { cursor: 'channels', task: 'channel-send' }, 30_000);
    expect(twilio.sent.length).toBe(before + 1);
    const stopped = await agent.messages.list.query({ ticketId: ticket.id, limit: 50 });
    const mutedDelivery = stopped.items.find((m) => m.id === muted.id)?.delivery;
    expect(mutedDelivery?.status).toBe('failed');
    expect(mutedDelivery?.error).toContain('STOP');

    // START: replies go out again.
    await inbound(from, 'START');
    await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Welcome back',
      clientId: randomUUID(),
    });
    const [again] = (await twilio.waitForSends(before + 2, 30_000)).slice(before + 1);
    expect(again).toMatchObject({ to: from, body: 'Welcome back' });
  });

  it('sends the closing message when the ticket is closed, and a new text then opens a new ticket', async () => {
    const from = '+14155550104';
    await inbound(from, 'Quick question about sizes');
    const ticket = (await ticketOf(from))!;
    const before = twilio.sent.length;
    await agent.tickets.update.mutate({ ticketId: ticket.id, status: 'closed' });
    const [closing] = (await twilio.waitForSends(before + 1, 30_000)).slice(before);
    expect(closing).toMatchObject({
      to: from,
      body: 'This conversation is closed. Text us again any time.',
    });

    await inbound(from, 'One more thing');
    const page = await agent.tickets.list.query({ limit: 50 });
    const theirs = page.items.filter((item) => item.customer.name === from);
    expect(theirs).toHaveLength(2);
    expect(theirs.find((item) => item.id !== ticket.id)?.subject).toBe('One more thing');
  });

  it('shows admins that SMS is set up (never a secret) and sends a test message', async () => {
    const { token } = await t.server.services.auth.createSession(users.admin.id);
    const admin = httpClient(t.url, { token });
    const status = await admin.channels.status.query();
    expect(status).toEqual([
      expect.objectContaining({ channel: 'whatsapp', configured: false }),
      {
        channel: 'sms',
        configured: true,
        source: 'environment',
        problem: null,
        webhookUrl: `${publicUrl}/webhooks/twilio`,
        sender: ourNumber,
        templates: [],
      },
    ]);
    expect(JSON.stringify(status)).not.toContain(twilio.authToken);
    await expect(agent.channels.status.query()).rejects.toThrow(/Admins only/);

    const before = twilio.sent.length;
    const sent = await admin.channels.sendTest.mutate({ channel: 'sms', to: '+1 415 555 0110' });
    expect(sent).toMatchObject({ ok: true, error: null });
    expect(twilio.sent[before]).toMatchObject({
      to: '+14155550110',
      body: 'This is a test message from Parley.',
    });
    await expect(admin.channels.sendTest.mutate({ channel: 'sms', to: '12345' })).rejects.toThrow(
      /country code/,
    );
    await expect(
      admin.channels.sendTest.mutate({ channel: 'whatsapp', to: '+14155550110' }),
    ).rejects.toThrow(/not set up/);
  });
});
