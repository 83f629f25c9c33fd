import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { createSupportDeskUsers, ticketInput, type SupportDeskUsers } from '@parley/api/testing';
import { getInboundMail, getUserByEmail, type Db } from '@parley/db';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { engineSettled } from './testing/engine-settled';
import { startSmtpInbox, type ReceivedMail, type SmtpInbox } from './testing/smtp-inbox';

type Client = ReturnType<typeof httpClient>;

const support = 'support@parley.test';
const settled = (db: Db) => engineSettled(db, { cursor: 'notify', task: 'notify-email' }, 20_000);

/** A PDF reader's signature, padded with random bytes to `size`. */
const pdf = (size: number) =>
  Buffer.concat([Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n'), randomBytes(size)]).subarray(0, size);
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const newAddress = () => `someone-${randomUUID().slice(0, 8)}@customer.test`;
const messageId = () => `<${randomUUID()}@customer.test>`;

describe('email in: Parley’s SMTP listener', () => {
  let inbox: SmtpInbox;
  let t: TestServer;
  let users: SupportDeskUsers;
  let agent: Client;
  let agentToken: string;
  let mta: Transporter;

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    t = await startTestServer({
      mail: { smtpUrl: inbox.url },
      notify: { replyDelaySeconds: 0.5, pollMs: 200 },
      // Room for the 2 MB PDF in base64, not for 5 MB.
      emailIn: { supportAddress: support, maxBytes: 4 * 1024 * 1024 },
      // Low enough for one test to reach (every other test writes from new addresses).
      limits: { ticketsPerUser: { max: 2, windowSeconds: 3600 } },
    });
    users = await createSupportDeskUsers(t.database.db);
    agentToken = (await t.server.services.auth.createSession(users.agent.id)).token;
    agent = httpClient(t.url, { token: agentToken });
    // The operator's MX, handing mail on to Parley's listener over real SMTP.
    mta = nodemailer.createTransport({
      host: '127.0.0.1',
      port: t.server.smtpInPort ?? 0,
      secure: false,
      ignoreTLS: true,
    });
  });
  afterAll(async () => {
    mta.close();
    await t[Symbol.asyncDispose]();
    await inbox[Symbol.asyncDispose]();
  });

  const deliver = (mail: SendMailOptions) => mta.sendMail({ to: support, ...mail });
  const inbound = async (id: string) => {
    const row = await getInboundMail(t.database.db, { messageId: id });
    if (!row) throw new Error(`no inbound_mail row for ${id}`);
    return row;
  };
  /** The people's messages of a ticket (not its status lines). */
  const thread = async (ticketId: string) =>
    (await agent.messages.list.query({ ticketId, limit: 50 })).items.filter(
      (m) => m.author.role !== 'system',
    );
  const outgoingCount = async () =>
    (
      await t.database.db.$client.query<{ n: number }>(
        'select count(*)::int as n from outgoing_mail',
      )
    ).rows[0]?.n;

  /** A new customer writes in, and gets the agent's reply by email; that email, as received. */
  async function ticketWithEmailedReply(from: string) {
    const first = messageId();
    await deliver({
      from: `Alex Doe <${from}>`,
      subject: 'Parcel not arrived',
      messageId: first,
      text: 'Where is my parcel?',
    });
    const ticketId = (await inbound(first)).ticketId ?? '';
    const answer = 'Your parcel ships tomorrow from the depot.';
    await agent.messages.send.mutate({ ticketId, body: answer, clientId: randomUUID() });
    let notification: ReceivedMail | undefined;
    await inbox.waitFor((mails) => {
      notification = mails.find(
        (m) =>
          m.to.includes(from) &&
          m.headers.get('x-parley-idempotency-key')?.includes(':agent_replied:'),
      );
      return notification !== undefined;
    });
    await settled(t.database.db);
    return { ticketId, notification: notification as ReceivedMail, answer };
  }

  it('opens a ticket with channel email for a new mail to the support address, the contact found by address', async () => {
    const from = newAddress();
    const id = messageId();
    await deliver({
      from: `Alex Doe <${from}>`,
      subject: 'My order #4521 never arrived',
      messageId: id,
      text: 'Hello,\n\nmy order #4521 never arrived.\n\n-- \nAlex Doe\nACME Ltd',
    });

    const record = await inbound(id);
    expect(record).toMatchObject({ status: 'ticket_created', fromAddress: from, spf: null });
    const ticket = await agent.tickets.byId.query({ ticketId: record.ticketId ?? '' });
    expect(ticket).toMatchObject({
      channel: 'email',
      subject: 'My order #4521 never arrived',
      description: 'Hello,\n\nmy order #4521 never arrived.',
    });
    const contact = await getUserByEmail(t.database.db, { email: from });
    expect(contact).toMatchObject({ role: 'customer', name: 'Alex Doe', passwordHash: null });
    expect(record.contactId).toBe(contact?.id);
    // The original mail is kept beside it.
    expect(ticket.attachments.map((a) => a.name)).toEqual(['My order #4521 never arrived.eml']);
  });

  it('adds a reply to a notification email to its ticket by In-Reply-To/References, the quote stripped', async () => {
    const from = newAddress();
    const { ticketId, notification, answer } = await ticketWithEmailedReply(from);
    const notificationId = notification.headers.get('message-id') ?? '';
    expect(notificationId).toMatch(/^<email\./);

    const reply = messageId();
    await deliver({
      from,
      subject: `Re: ${notification.headers.get('subject')}`,
      messageId: reply,
      inReplyTo: notificationId,
      references: [notification.headers.get('references') ?? '', notificationId],
      text: `Thanks, that worked!\n\nOn Tue, 1 Dec 2026 at 10:00, Parley <parley@localhost> wrote:\n> ${answer}\n>\n> Ticket link\n`,
    });

    expect(await inbound(reply)).toMatchObject({ status: 'joined', ticketId });
    const last = (await thread(ticketId)).at(-1);
    expect(last).toMatchObject({ body: 'Thanks, that worked!', author: { role: 'customer' } });
    expect(last?.attachments.map((a) => a.name)).toEqual([
      `Re: ${notification.headers.get('subject')}.eml`,
    ]);
  });

  it('adds a reply sent to the signed Reply-To address to its ticket without any thread headers', async () => {
    const from = newAddress();
    const { ticketId, notification } = await ticketWithEmailedReply(from);
    const replyTo = notification.headers.get('reply-to') ?? '';
    expect(replyTo).toMatch(/^reply\+[0-9a-f]+@parley\.test$/);
    expect(notification.headers.get('auto-submitted')).toBe('auto-generated');

    const reply = messageId();
    await mta.sendMail({
      from,
      to: replyTo,
      subject: 'About my parcel',
      messageId: reply,
      text: 'One more thing: it is a gift.',
    });
    expect(await inbound(reply)).toMatchObject({ status: 'joined', ticketId });
    expect((await thread(ticketId)).at(-1)?.body).toBe('One more thing: it is a gift.');

    // A forged reply address reaches nothing.
    const forged = messageId();
    const fake = replyTo.replace(/\+[0-9a-f]{32}/, `+${randomUUID().replaceAll('-', '')}`);
    await mta.sendMail({ from, to: fake, subject: 'x', messageId: forged, text: 'forged' });
    expect(await inbound(forged)).toMatchObject({ status: 'rejected', ticketId: null });
  });

  it('drops an auto-reply: no ticket, no message, no outgoing mail (no loop)', async () => {
    const from = newAddress();
    const { ticketId, notification } = await ticketWithEmailedReply(from);
    const before = { messages: (await thread(ticketId)).length, outgoing: await outgoingCount() };
    const received = inbox.mails.length;

    const outOfOffice = messageId();
    await deliver({
      from,
      subject: 'Automatic reply: I am out of the office',
      messageId: outOfOffice,
      inReplyTo: notification.headers.get('message-id') ?? '',
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
      text: 'I am away until Monday.',
    });
    // To the support address from an address Parley does not know, too.
    const stranger = newAddress();
    const bulk = messageId();
    await deliver({
      from: stranger,
      subject: 'Newsletter',
      messageId: bulk,
      headers: { Precedence: 'bulk' },
      text: 'Deals!',
    });

    expect(await inbound(outOfOffice)).toMatchObject({ status: 'dropped', ticketId: null });
    expect((await inbound(bulk)).status).toBe('dropped');
    await settled(t.database.db);
    expect((await thread(ticketId)).length).toBe(before.messages);
    expect(await getUserByEmail(t.database.db, { email: stranger })).toBeUndefined();
    expect(await outgoingCount()).toBe(before.outgoing);
    expect(inbox.mails.length).toBe(received);
  });

  it('keeps a 2 MB PDF as an attachment the agent downloads byte for byte', async () => {
    const bytes = pdf(2 * 1024 * 1024);
    const id = messageId();
    await deliver({
      from: newAddress(),
      subject: 'Invoice attached',
      messageId: id,
      text: 'Please see the invoice.',
      attachments: [
        { filename: 'invoice.pdf', content: bytes, contentType: 'application/octet-stream' },
      ],
    });
    const ticket = await agent.tickets.byId.query({ ticketId: (await inbound(id)).ticketId ?? '' });
    const file = ticket.attachments.find((a) => a.name === 'invoice.pdf');
    expect(file).toMatchObject({ size: bytes.length, contentType: 'application/pdf' });

    const response = await fetch(`${t.url}${file?.url}`, {
      headers: { authorization: `Bearer ${agentToken}` },
    });
    expect(response.status).toBe(200);
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('does not add a mail claiming a customer’s address but failing SPF and DKIM to their ticket', async () => {
    const customer = httpClient(t.url, {
      token: (await t.server.services.auth.createSession(users.customerA.id)).token,
    });
    const ticket = await customer.tickets.create.mutate(ticketInput());
    const root = `<ticket-${ticket.id}@localhost>`;
    await inbox.waitFor((mails) => mails.some((m) => m.headers.get('message-id') === root));
    const before = (await thread(ticket.id)).length;

    const spoofed = messageId();
    await deliver({
      from: users.customerA.email,
      subject: 'Re: your ticket',
      messageId: spoofed,
      inReplyTo: root,
      headers: {
        'Authentication-Results':
          'mx.parley.test; spf=fail smtp.mailfrom=evil.test; dkim=fail header.d=evil.test; dmarc=fail',
      },
      text: 'Please send the refund to IBAN XX00 0000.',
    });
    expect(await inbound(spoofed)).toMatchObject({
      status: 'rejected',
      spf: 'fail',
      dkim: 'fail',
      dmarc: 'fail',
      ticketId: null,
    });
    expect((await inbound(spoofed)).reason).toMatch(/failed authentication/);
    expect((await thread(ticket.id)).length).toBe(before);

    // The same reply, authenticated by the MX, joins.
    const genuine = messageId();
    await deliver({
      from: users.customerA.email,
      subject: 'Re: your ticket',
      messageId: genuine,
      inReplyTo: root,
      headers: {
        'Authentication-Results': 'mx.parley.test; spf=pass smtp.mailfrom=example.com; dkim=pass',
      },
      text: 'It was me, really.',
    });
    expect(await inbound(genuine)).toMatchObject({
      status: 'joined',
      ticketId: ticket.id,
      spf: 'pass',
    });
    expect((await thread(ticket.id)).at(-1)?.body).toBe('It was me, really.');
  });

  it('adds a mail delivered twice with the same Message-ID once', async () => {
    const from = newAddress();
    const { ticketId, notification } = await ticketWithEmailedReply(from);
    const before = (await thread(ticketId)).length;
    const reply = {
      from,
      subject: 'Re: parcel',
      messageId: messageId(),
      inReplyTo: notification.headers.get('message-id') ?? '',
      text: 'Got it, thanks.',
    };
    await deliver(reply);
    await deliver(reply);
    const bodies = (await thread(ticketId)).slice(before).map((m) => m.body);
    expect(bodies).toEqual(['Got it, thanks.']);

    const fresh = {
      from: newAddress(),
      subject: 'Twice',
      messageId: messageId(),
      text: 'Hello twice',
    };
    await deliver(fresh);
    await deliver(fresh);
    const tickets = await t.database.db.$client.query<{ n: number }>(
      'select count(*)::int as n from tickets t join users u on u.id = t.customer_id where u.email = $1',
      [fresh.from],
    );
    expect(tickets.rows[0]?.n).toBe(1);
  });

  it('opens a new ticket for a reply to a closed ticket, and takes no reply from someone else’s address', async () => {
    const from = newAddress();
    const { ticketId, notification } = await ticketWithEmailedReply(from);
    const inReplyTo = notification.headers.get('message-id') ?? '';

    const stranger = messageId();
    await deliver({
      from: newAddress(),
      subject: 'Re: x',
      messageId: stranger,
      inReplyTo,
      text: 'Me too!',
    });
    expect(await inbound(stranger)).toMatchObject({ status: 'rejected', ticketId: null });
    expect((await inbound(stranger)).reason).toMatch(/not its customer/);

    const team = messageId();
    await deliver({
      from: users.agent.email,
      subject: 'Re: x',
      messageId: team,
      inReplyTo,
      text: 'Agent here',
    });
    expect((await inbound(team)).reason).toMatch(/team member/);

    await agent.tickets.close.mutate({ ticketId });
    const late = messageId();
    await deliver({
      from,
      subject: 'Re: parcel',
      messageId: late,
      inReplyTo,
      text: 'It broke again.',
    });
    const record = await inbound(late);
    expect(record).toMatchObject({ status: 'ticket_created' });
    expect(record.reason).toMatch(/is closed: a new ticket/);
    expect(record.ticketId).not.toBe(ticketId);
    const opened = await agent.tickets.byId.query({ ticketId: record.ticketId ?? '' });
    expect(opened).toMatchObject({ channel: 'email', description: 'It broke again.' });
  });

  it('lists the received mail for admins, newest first, with what became of each; not for agents', async () => {
    const admin = httpClient(t.url, {
      token: (await t.server.services.auth.createSession(users.admin.id)).token,
    });
    const dropped = messageId();
    await deliver({
      from: newAddress(),
      subject: 'Auto',
      messageId: dropped,
      headers: { 'Auto-Submitted': 'auto-generated' },
      text: 'x',
    });
    const page = await admin.notifications.inboundMail.list.query({ limit: 100 });
    expect(page.items[0]).toMatchObject({
      messageId: dropped,
      status: 'dropped',
      reason: 'Auto-Submitted: auto-generated',
      recipients: [support],
    });
    expect(page.items.map((m) => m.status)).toEqual(
      expect.arrayContaining(['ticket_created', 'joined', 'rejected']),
    );
    const rejected = page.items.find((m) => m.status === 'rejected' && m.spf === 'fail');
    expect(rejected?.reason).toMatch(/failed authentication/);
    const first = await admin.notifications.inboundMail.list.query({ limit: 1 });
    const second = await admin.notifications.inboundMail.list.query({
      limit: 1,
      cursor: first.nextCursor,
    });
    expect(second.items[0]?.id).toBe(page.items[1]?.id);
    await expect(agent.notifications.inboundMail.list.query({})).rejects.toThrow(
      /FORBIDDEN|admin/i,
    );
  });

  it('answers 451, not "duplicate", to a retry of a mail a dead process was still handling; takes it over later', async () => {
    const mail = { from: newAddress(), subject: 'Half done', messageId: messageId(), text: 'Hi' };
    // A process claimed this Message-ID and died before finishing it.
    await t.database.db.$client.query(
      `insert into inbound_mail (message_id, return_path, from_address, recipients, subject, thread_ids, size, status)
       values ($1, $2, $2, array[$3], $4, array[]::text[], 10, 'processing')`,
      [mail.messageId, mail.from, support, mail.subject],
    );
    // The MX retries within minutes: the mail must stay with it, not be answered 250.
    await expect(deliver(mail)).rejects.toThrow(/451/);
    expect(await inbound(mail.messageId)).toMatchObject({ status: 'processing', ticketId: null });
    // After 10 minutes the retry takes the dead process's row over.
    await t.database.db.$client.query(
      `update inbound_mail set received_at = now() - interval '11 minutes' where message_id = $1`,
      [mail.messageId],
    );
    await deliver(mail);
    expect(await inbound(mail.messageId)).toMatchObject({ status: 'ticket_created' });
  });

  it('answers 451 when a mail cannot be taken now (a rate limit), and takes the MX’s retry over', async () => {
    const from = newAddress();
    for (const subject of ['One', 'Two']) {
      await deliver({ from, subject, messageId: messageId(), text: subject });
    }
    const third = { from, subject: 'Three', messageId: messageId(), text: 'Three' };
    await expect(deliver(third)).rejects.toThrow(/451/);
    expect(await inbound(third.messageId)).toMatchObject({ status: 'failed', ticketId: null });
    // The retry is handled again (not taken for a duplicate), and fails the same way.
    await expect(deliver(third)).rejects.toThrow(/451/);
    expect((await inbound(third.messageId)).reason).toMatch(/too many|try again|limit/i);
  });

  it('refuses a mail over the size limit with 552, and records nothing', async () => {
    const id = messageId();
    await expect(
      deliver({
        from: newAddress(),
        subject: 'Too big',
        messageId: id,
        text: 'Here.',
        attachments: [{ filename: 'big.pdf', content: pdf(5 * 1024 * 1024) }],
      }),
    ).rejects.toThrow(/552|too large/i);
    expect(await getInboundMail(t.database.db, { messageId: id })).toBeUndefined();
  });

  it('refuses mail for other addresses at RCPT TO', async () => {
    await expect(
      mta.sendMail({ from: newAddress(), to: 'someone-else@parley.test', subject: 'x', text: 'x' }),
    ).rejects.toThrow(/550|No such mailbox/);
  });
});

describe('email in: started and stopped with the server', () => {
  it('listens on PARLEY_SMTP_IN_PORT as pnpm start does (emailIn: true), and stops with the server', async () => {
    const probe = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    process.env.PARLEY_SMTP_IN_PORT = String(probe);
    process.env.PARLEY_SUPPORT_ADDRESS = 'Help@Parley.test';
    try {
      const t = await startTestServer({ emailIn: true });
      expect(t.server.smtpInPort).toBe(probe);
      const mta = nodemailer.createTransport({ host: '127.0.0.1', port: probe, ignoreTLS: true });
      const id = messageId();
      await mta.sendMail({
        from: newAddress(),
        to: 'help@parley.test',
        subject: 'Hello',
        messageId: id,
        text: 'Hi',
      });
      expect((await getInboundMail(t.database.db, { messageId: id }))?.status).toBe(
        'ticket_created',
      );
      await t[Symbol.asyncDispose]();
      await expect(
        mta.sendMail({ from: newAddress(), to: 'help@parley.test', text: 'x' }),
      ).rejects.toThrow(/ECONNREFUSED/);
      mta.close();
    } finally {
      delete process.env.PARLEY_SMTP_IN_PORT;
      delete process.env.PARLEY_SUPPORT_ADDRESS;
    }
  });

  it('stays off without PARLEY_SMTP_IN_PORT', async () => {
    await using t = await startTestServer({ emailIn: true });
    expect(t.server.smtpInPort).toBeNull();
  });
});
