import { randomUUID } from 'node:crypto';
import {
  createSupportDeskUsers,
  signWhatsApp,
  startFakeWhatsAppCloud,
  statusWebhookBody,
  whatsappWebhookBody,
  type FakeWhatsAppCloud,
  type SupportDeskUsers,
  type WhatsAppWebhookMessage,
} from '@parley/api/testing';
import { noChannelSettings } from '@parley/api';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { engineSettled } from './testing/engine-settled';

type Client = ReturnType<typeof httpClient>;

const publicUrl = 'https://support.example.com';
const appSecret = 'test-app-secret';
const verifyToken = 'test-verify-token';

describe('WhatsApp over the Cloud API (test plan 81)', () => {
  let cloud: FakeWhatsAppCloud;
  let t: TestServer;
  let users: SupportDeskUsers;
  let agent: Client;

  beforeAll(async () => {
    cloud = await startFakeWhatsAppCloud();
    t = await startTestServer({
      notify: { pollMs: 100 },
      channels: {
        ...noChannelSettings(publicUrl),
        whatsapp: {
          apiUrl: cloud.url,
          phoneNumberId: cloud.phoneNumberId,
          accessToken: cloud.accessToken,
          appSecret,
          verifyToken,
          templates: [
            {
              name: 'follow_up',
              language: 'en_US',
              body: 'Hello {{1}}, we have news about your ticket.',
            },
          ],
        },
        botEnabled: true,
        closingMessage: 'Thanks for chatting with us!',
      },
    });
    users = await createSupportDeskUsers(t.database.db);
    const session = async (id: string) => (await t.server.services.auth.createSession(id)).token;
    agent = httpClient(t.url, { token: await session(users.agent.id) });
    const admin = httpClient(t.url, { token: await session(users.admin.id) });
    await admin.bot.answers.create.mutate({
      name: 'Opening hours',
      phrasings: ['opening hours', 'when are you open'],
      reply: 'We are open 9:00–17:00, Monday to Friday.',
      position: 1,
    });
  });
  afterAll(async () => {
    await t?.[Symbol.asyncDispose]();
    await cloud?.[Symbol.asyncDispose]();
  });

  /** Posts a webhook body as Meta does, signed with `secret`. */
  function post(body: string, secret = appSecret) {
    return fetch(`${t.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWhatsApp(body, secret),
      },
      body,
    });
  }
  const inbound = (message: WhatsAppWebhookMessage) => post(whatsappWebhookBody(message));

  async function ticketOf(name: string) {
    const page = await agent.tickets.list.query({ limit: 50 });
    return page.items.find((item) => item.customer.name === name);
  }
  /** Every send planned so far has gone out (the bot's replies included). */
  const quiet = () =>
    engineSettled(t.database.db, { cursor: 'channels', task: 'channel-send' }, 30_000);
  const sendsAfter = async (before: number, n = 1) =>
    (await cloud.waitForSends(before + n, 30_000)).slice(before);

  it("answers Meta's verification handshake with the challenge, and refuses a wrong token", async () => {
    const ok = await fetch(
      `${t.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(
      `${t.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(wrong.status).toBe(403);
  });

  it('a new number meets the bot menu; "Talk to a person" puts the ticket in the queue with name and phone; the agent reply goes out once', async () => {
    const before = cloud.sent.length;
    expect(
      (await inbound({ from: '15551230001', name: 'Dana Ruiz', text: 'Hi there' })).status,
    ).toBe(200);
    // The bot's menu: its greeting with reply buttons, "Talk to a person" among them.
    const [menu] = await sendsAfter(before);
    expect(menu!.body).toMatchObject({ to: '15551230001', type: 'interactive' });
    const buttons = (
      menu!.body.interactive as {
        action: { buttons: Array<{ reply: { id: string; title: string } }> };
      }
    ).action.buttons;
    expect(buttons.map((b) => b.reply.title)).toContain('Talk to a person');

    // While the bot has the conversation, it is not in the agents' queue.
    expect(await ticketOf('Dana Ruiz')).toBeUndefined();
    const talk = buttons.find((b) => b.reply.title === 'Talk to a person')!;
    await inbound({ from: '15551230001', name: 'Dana Ruiz', button: talk.reply });
    const [handoff] = await sendsAfter(before + 1);
    expect(JSON.stringify(handoff!.body)).toContain('Connecting you with the team');
    const ticket = (await ticketOf('Dana Ruiz'))!;
    expect(ticket).toMatchObject({ channel: 'whatsapp', subject: 'Hi there' });

    const details = await agent.tickets.chatDetails.query({ ticketId: ticket.id });
    expect(details).toMatchObject({ channel: 'whatsapp', phone: '+15551230001' });
    const byId = await agent.tickets.byId.query({ ticketId: ticket.id });
    expect(byId.customer.name).toBe('Dana Ruiz');

    await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Hello Dana, how can I help?',
      clientId: randomUUID(),
    });
    const [reply] = await sendsAfter(before + 2);
    expect(reply!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '15551230001',
      type: 'text',
      text: { body: 'Hello Dana, how can I help?', preview_url: true },
    });
    await quiet();
    expect(cloud.sent.length).toBe(before + 3);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const body = whatsappWebhookBody({ from: '15551230002', name: 'Mallory', text: 'hello' });
    const forged = await post(body, 'not-the-app-secret');
    expect(forged.status).toBe(401);
    const unsigned = await fetch(`${t.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    const stored = await t.database.db.$client.query('select 1 from users where phone = $1', [
      '+15551230002',
    ]);
    expect(stored.rowCount).toBe(0);
  });

  it('takes the same message id once however often Meta delivers it, files included', async () => {
    await inbound({ from: '15551230003', name: 'Lee', text: 'talk to a person' });
    const ticket = (await ticketOf('Lee'))!;
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.4\n'),
      Buffer.alloc(2 * 1024 * 1024, 'x'),
      Buffer.from('\n%%EOF\n'),
    ]);
    const mediaId = cloud.addMedia(pdf, 'application/pdf', 'receipt.pdf');
    const message = {
      from: '15551230003',
      name: 'Lee',
      id: 'wamid.retried-once',
      media: {
        kind: 'document',
        id: mediaId,
        mimeType: 'application/pdf',
        filename: 'receipt.pdf',
        caption: 'My receipt',
      },
    } as const;
    expect((await inbound(message)).status).toBe(200);
    expect((await inbound(message)).status).toBe(200);
    const thread = await agent.messages.list.query({ ticketId: ticket.id, limit: 50 });
    const mine = thread.items.filter((m) => m.author.role === 'customer');
    expect(mine.map((m) => m.body)).toEqual(['My receipt']);
    expect(mine[0]!.attachments).toMatchObject([
      { name: 'receipt.pdf', contentType: 'application/pdf', size: pdf.length },
    ]);
    const file = await fetch(`${t.url}${mine[0]!.attachments[0]!.url}`, {
      headers: {
        authorization: `Bearer ${(await t.server.services.auth.createSession(users.agent.id)).token}`,
      },
    });
    expect(Buffer.from(await file.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('takes a message whose file is over the upload limit without the file, saying so (not refused for Meta to retry for days)', async () => {
    await inbound({ from: '15551230009', name: 'Kim', text: 'talk to a person' });
    const ticket = (await ticketOf('Kim'))!;
    const huge = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(26 * 1024 * 1024, 'x')]);
    const mediaId = cloud.addMedia(huge, 'application/pdf', 'scan.pdf');
    const message = {
      from: '15551230009',
      name: 'Kim',
      id: 'wamid.too-large',
      media: {
        kind: 'document',
        id: mediaId,
        mimeType: 'application/pdf',
        filename: 'scan.pdf',
        caption: 'Here is the scan',
      },
    } as const;
    expect((await inbound(message)).status).toBe(200);
    expect((await inbound(message)).status).toBe(200);
    const thread = await agent.messages.list.query({ ticketId: ticket.id, limit: 50 });
    const mine = thread.items.filter((m) => m.author.role === 'customer');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toMatch(
      /^Here is the scan\n\n\[A file was sent but not kept: scan\.pdf \(.+\)\]$/,
    );
    expect(mine[0]!.attachments).toEqual([]);
  });

  it('shows the agent "Read" when WhatsApp reports the customer read the reply', async () => {
    await inbound({ from: '15551230004', name: 'Sam', text: 'talk to a person' });
    const ticket = (await ticketOf('Sam'))!;
    await quiet();
    const before = cloud.sent.length;
    const reply = await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'On it!',
      clientId: randomUUID(),
    });
    const [sent] = await sendsAfter(before);
    const wamid = sent!.messageId!;
    const deliveryOf = async () =>
      (await agent.messages.list.query({ ticketId: ticket.id, limit: 50 })).items.find(
        (m) => m.id === reply.id,
      )?.delivery;
    await expect.poll(async () => (await deliveryOf())?.status, { timeout: 30_000 }).toBe('sent');
    for (const status of ['delivered', 'read'] as const) {
      expect(
        (await post(statusWebhookBody({ id: wamid, status, recipient: '15551230004' }))).status,
      ).toBe(200);
    }
    // A late "delivered" does not move it back.
    await post(statusWebhookBody({ id: wamid, status: 'delivered', recipient: '15551230004' }));
    expect(await deliveryOf()).toEqual({ channel: 'whatsapp', status: 'read', error: null });
    // It is the customer's read receipt too.
    const thread = await agent.messages.list.query({ ticketId: ticket.id, limit: 50 });
    expect(thread.othersReadSeq).toBe(reply.seq);
  });

  it("sends each part of a reply once when a later file fails and the job is retried, and maps every part's status to the reply", async () => {
    await inbound({ from: '15551230008', name: 'Ruth', text: 'talk to a person' });
    const ticket = (await ticketOf('Ruth'))!;
    await quiet();
    const pdf = (text: string) => Buffer.from(`%PDF-1.4\n${text}\n%%EOF\n`);
    const upload = (bytes: Buffer, name: string) => {
      const form = new FormData();
      form.append('file', new File([new Uint8Array(bytes)], name, { type: 'application/pdf' }));
      return agent.attachments.upload.mutate(form);
    };
    const invoice = await upload(pdf('invoice'), 'invoice.pdf');
    const receipt = await upload(pdf('receipt'), 'receipt.pdf');
    const before = cloud.sent.length;
    const uploadsBefore = cloud.uploads.length;
    // The second file's upload fails once (a 500): the job is retried.
    cloud.failUpload(2, 500);
    const reply = await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Here are both documents.',
      clientId: randomUUID(),
      attachmentIds: [invoice.id, receipt.id],
    });
    const deliveryOf = async () =>
      (await agent.messages.list.query({ ticketId: ticket.id, limit: 50 })).items.find(
        (m) => m.id === reply.id,
      )?.delivery;
    await expect.poll(async () => (await deliveryOf())?.status, { timeout: 60_000 }).toBe('sent');
    await quiet();
    expect(
      cloud.requests.filter((r) => r.path.endsWith('/media') && r.status === 500),
    ).toHaveLength(1);
    // The text once, the first file once, the second file once (on the retry).
    const sends = cloud.sent.slice(before);
    expect(
      sends.map((s) => {
        const document = s.body.document as { filename?: string } | undefined;
        return [s.body.type, document?.filename ?? (s.body.text as { body: string }).body];
      }),
    ).toEqual([
      ['text', 'Here are both documents.'],
      ['document', 'invoice.pdf'],
      ['document', 'receipt.pdf'],
    ]);
    expect(cloud.uploads.slice(uploadsBefore).map((u) => u.fileName)).toEqual([
      'invoice.pdf',
      'receipt.pdf',
    ]);
    // Each part recorded once, none pending now that the reply went whole.
    const recorded = await t.database.db.$client.query<{ id: string; pending: number | null }>(
      `select provider_message_id as id, pending_part as pending from channel_messages
        where message_id = $1 order by created_at`,
      [reply.id],
    );
    expect(recorded.rows).toEqual(sends.map((s) => ({ id: s.messageId, pending: null })));
    // Every part's status callback reaches the reply: "delivered" once all three are.
    for (const [i, sent] of sends.entries()) {
      const body = statusWebhookBody({
        id: sent.messageId!,
        status: 'delivered',
        recipient: '15551230008',
      });
      expect((await post(body)).status).toBe(200);
      expect((await deliveryOf())?.status).toBe(i < sends.length - 1 ? 'sent' : 'delivered');
    }
  });

  it('outside the 24-hour window refuses a free-form reply with a clear error, and sends a template', async () => {
    await inbound({ from: '15551230005', name: 'Kim', text: 'talk to a person' });
    const ticket = (await ticketOf('Kim'))!;
    await quiet();
    await t.database.db.$client.query(
      `update channel_messages set created_at = now() - interval '25 hours' where ticket_id = $1`,
      [ticket.id],
    );
    const refused = await agent.messages.send
      .mutate({ ticketId: ticket.id, body: 'Are you still there?', clientId: randomUUID() })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCClientError);
    expect((refused as Error).message).toContain('24 hours');
    // An internal note is still fine.
    await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Customer gone quiet',
      clientId: randomUUID(),
      internal: true,
    });

    const composer = await agent.channels.composer.query({ ticketId: ticket.id });
    expect(composer).toMatchObject({
      channel: 'whatsapp',
      configured: true,
      freeFormAllowed: false,
    });
    const before = cloud.sent.length;
    const templated = await agent.channels.sendTemplate.mutate({
      ticketId: ticket.id,
      name: 'follow_up',
      variables: ['Kim'],
      clientId: randomUUID(),
    });
    expect(templated.body).toBe('Hello Kim, we have news about your ticket.');
    const [sent] = await sendsAfter(before);
    expect(sent!.body).toMatchObject({
      to: '15551230005',
      type: 'template',
      template: {
        name: 'follow_up',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Kim' }] }],
      },
    });
    // The customer writing again opens the window.
    await inbound({ from: '15551230005', name: 'Kim', text: 'Yes, still here' });
    expect((await agent.channels.composer.query({ ticketId: ticket.id })).freeFormAllowed).toBe(
      true,
    );
  });

  it('reopens a ticket closed within PARLEY_CHANNEL_REOPEN_DAYS instead of opening a new one', async () => {
    const settings = t.server.services.channels.settings;
    settings.reopenDays = 3;
    try {
      await inbound({ from: '15551230006', name: 'Ana', text: 'talk to a person' });
      const ticket = (await ticketOf('Ana'))!;
      await agent.tickets.update.mutate({ ticketId: ticket.id, status: 'closed' });
      await inbound({ from: '15551230006', name: 'Ana', text: 'Sorry, one more question' });
      const page = await agent.tickets.list.query({ limit: 50 });
      const theirs = page.items.filter((item) => item.customer.name === 'Ana');
      expect(theirs.map((item) => [item.id, item.status])).toEqual([[ticket.id, 'open']]);
      const thread = await agent.messages.list.query({ ticketId: ticket.id, limit: 50 });
      expect(thread.items.at(-1)?.body).toBe('Sorry, one more question');
    } finally {
      settings.reopenDays = 0;
    }
  });

  it("opens one ticket when a new number's first messages arrive at the same moment", async () => {
    const from = '15551230007';
    const statuses = await Promise.all(
      ['First line', 'Second line', 'Third line', 'Fourth line'].map((text) =>
        inbound({ from, name: 'Noor', text }).then((response) => response.status),
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);
    const tickets = await t.database.db.$client.query<{ id: string }>(
      `select t.id from tickets t join users u on u.id = t.customer_id where u.phone = $1`,
      ['+' + from],
    );
    expect(tickets.rowCount).toBe(1);
    const thread = await agent.messages.list.query({ ticketId: tickets.rows[0]!.id, limit: 50 });
    const texts = thread.items.filter((m) => m.author.role === 'customer').map((m) => m.body);
    expect(texts).toHaveLength(3);
  });
});
