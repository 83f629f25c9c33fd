import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { createSupportDeskUsers, ticketInput, type SupportDeskUsers } from '@parley/api/testing';
import { getInboundMail } from '@parley/db';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { mailBody, startSmtpInbox, type SmtpInbox } from './testing/smtp-inbox';

type Client = ReturnType<typeof httpClient>;

const envSupport = 'support@parley.test';

/** A port nothing listens on: an SMTP server that is down. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('email settings saved by an admin (test plan 92)', () => {
  let envInbox: SmtpInbox;
  let savedInbox: SmtpInbox;
  let t: TestServer;
  let users: SupportDeskUsers;
  let admin: Client;
  let agent: Client;
  let customer: Client;

  beforeAll(async () => {
    envInbox = await startSmtpInbox();
    savedInbox = await startSmtpInbox();
    // The environment's settings: the first inbox, and a listener for the support address.
    t = await startTestServer({
      mail: { smtpUrl: envInbox.url, mailFrom: 'Parley <parley@localhost>' },
      notify: { replyDelaySeconds: 0, pollMs: 100 },
      emailIn: { supportAddress: envSupport },
    });
    users = await createSupportDeskUsers(t.database.db);
    const session = async (id: string) => (await t.server.services.auth.createSession(id)).token;
    admin = httpClient(t.url, { token: await session(users.admin.id) });
    agent = httpClient(t.url, { token: await session(users.agent.id) });
    customer = httpClient(t.url, { token: await session(users.customerA.id) });
  });
  afterAll(async () => {
    await t?.[Symbol.asyncDispose]();
    await envInbox?.[Symbol.asyncDispose]();
    await savedInbox?.[Symbol.asyncDispose]();
  });

  const storedText = async () =>
    (
      await t.database.db.$client.query<{ settings: string }>(
        "select settings::text as settings from channel_settings where channel = 'email'",
      )
    ).rows[0]?.settings ?? '';
  /** An agent's reply to a new ticket of the customer's: the email it makes, as received. */
  async function replyEmail(inbox: SmtpInbox) {
    const ticket = await customer.tickets.create.mutate(ticketInput());
    await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'We are on it.',
      clientId: randomUUID(),
    });
    let found: SmtpInbox['mails'][number] | undefined;
    await inbox.waitFor((mails) => {
      found = mails.find(
        (m) =>
          m.to.includes(users.customerA.email) &&
          m.headers.get('x-parley-idempotency-key')?.includes(':agent_replied:') === true &&
          mailBody(m).includes(ticket.id),
      );
      return found !== undefined;
    }, 20_000);
    return { ticket, mail: found! };
  }

  it('answers the environment’s settings, the SMTP server without its password; admins only', async () => {
    const settings = await admin.channels.settings.query();
    expect(settings.email).toEqual({
      source: 'environment',
      problem: null,
      sendMail: true,
      smtpServer: envInbox.url,
      mailFrom: 'Parley <parley@localhost>',
      supportAddress: envSupport,
      receivesMail: true,
    });
    await expect(agent.channels.settings.query()).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(
      agent.channels.saveSettings.mutate({
        channel: 'email',
        sendMail: false,
        mailFrom: 'x@y.z',
        supportAddress: '',
      }),
    ).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
  });

  it('refuses a form it cannot use, each field named', async () => {
    const save = (form: Record<string, unknown>) =>
      admin.channels.saveSettings.mutate({
        channel: 'email',
        sendMail: true,
        mailFrom: 'Help <help@desk.test>',
        supportAddress: 'desk@parley.test',
        ...form,
      });
    await expect(save({ smtpUrl: 'http://smtp.example.com' })).rejects.toMatchObject({
      data: { fieldErrors: { smtpUrl: [expect.stringContaining('smtp://')] } },
    });
    await expect(save({ smtpUrl: 'not a url' })).rejects.toMatchObject({
      data: { fieldErrors: { smtpUrl: [expect.stringContaining('URL')] } },
    });
    await expect(save({ mailFrom: 'Help desk' })).rejects.toMatchObject({
      data: { fieldErrors: { mailFrom: [expect.stringContaining('sender')] } },
    });
    await expect(save({ supportAddress: 'desk@' })).rejects.toMatchObject({
      data: { fieldErrors: { supportAddress: [expect.stringContaining('support address')] } },
    });
    expect(await storedText()).toBe('');
  });

  it('keeps the SMTP URL sealed, never answers it, and sends a test email through it', async () => {
    const down = `smtp://parley:pa55-w0rd@127.0.0.1:${await closedPort()}`;
    await admin.channels.saveSettings.mutate({
      channel: 'email',
      sendMail: true,
      smtpUrl: down,
      mailFrom: 'Help <help@desk.test>',
      supportAddress: 'Desk@Parley.test',
    });
    const stored = await storedText();
    expect(stored).toContain('"smtpUrl": "sealed:');
    expect(stored).not.toContain('pa55-w0rd');
    const settings = await admin.channels.settings.query();
    expect(JSON.stringify(settings)).not.toContain('pa55-w0rd');
    expect(settings.email).toMatchObject({
      source: 'saved',
      smtpServer: down.replace(':pa55-w0rd', ''),
      mailFrom: 'Help <help@desk.test>',
      supportAddress: 'desk@parley.test',
    });

    // The server is down: the test says so, in words.
    const failed = await admin.channels.sendTest.mutate({ channel: 'email', to: 'me@desk.test' });
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/ECONNREFUSED/);
    await expect(
      admin.channels.sendTest.mutate({ channel: 'email', to: 'not an address' }),
    ).rejects.toMatchObject({ data: { fieldErrors: { to: [expect.any(String)] } } });

    // A new SMTP server; the From and support address kept as typed before.
    await admin.channels.saveSettings.mutate({
      channel: 'email',
      sendMail: true,
      smtpUrl: savedInbox.url,
      mailFrom: 'Help <help@desk.test>',
      supportAddress: 'desk@parley.test',
    });
    const sent = await admin.channels.sendTest.mutate({ channel: 'email', to: 'me@desk.test' });
    expect(sent).toMatchObject({ ok: true, error: null });
    await savedInbox.waitFor((mails) =>
      mails.some((m) => m.headers.get('subject') === 'Test message from Parley'),
    );
    const test = savedInbox.mails.find(
      (m) => m.headers.get('subject') === 'Test message from Parley',
    );
    expect(test?.to).toEqual(['me@desk.test']);
    expect(test?.headers.get('from')).toBe('Help <help@desk.test>');
  });

  it('sends notification emails by the saved settings at once: SMTP server, From, Reply-To domain', async () => {
    const before = envInbox.mails.length;
    const { mail } = await replyEmail(savedInbox);
    expect(mail.headers.get('from')).toBe('Help <help@desk.test>');
    expect(mail.headers.get('reply-to')).toMatch(/^reply\+[^@]+@parley\.test$/);
    expect(mail.headers.get('message-id')).toMatch(/@desk\.test>$/);
    expect(envInbox.mails.length).toBe(before);
  });

  it('takes mail for the saved support address, and no longer for the environment’s', async () => {
    const mta = nodemailer.createTransport({
      host: '127.0.0.1',
      port: t.server.smtpInPort ?? 0,
      secure: false,
      ignoreTLS: true,
    });
    try {
      const id = `<${randomUUID()}@customer.test>`;
      await mta.sendMail({
        from: 'New Person <new-person@customer.test>',
        to: 'desk@parley.test',
        subject: 'Hello desk',
        messageId: id,
        text: 'Is anyone there?',
      });
      const row = await getInboundMail(t.database.db, { messageId: id });
      expect(row?.status).toBe('ticket_created');
      const ticket = await agent.tickets.byId.query({ ticketId: row?.ticketId ?? '' });
      expect(ticket.channel).toBe('email');
      await expect(
        mta.sendMail({ from: 'x@customer.test', to: envSupport, subject: 'Hi', text: 'Hi' }),
      ).rejects.toThrow(/550/);
    } finally {
      mta.close();
    }
  });

  it('keeps mail in Parley when sending is switched off, and says so to a test; then back to the environment', async () => {
    await admin.channels.saveSettings.mutate({
      channel: 'email',
      sendMail: false,
      mailFrom: 'Help <help@desk.test>',
      supportAddress: 'desk@parley.test',
    });
    expect((await admin.channels.settings.query()).email).toMatchObject({
      sendMail: false,
      smtpServer: null,
    });
    expect(await storedText()).toContain('"smtpUrl": null');
    const test = await admin.channels.sendTest.mutate({ channel: 'email', to: 'me@desk.test' });
    expect(test.ok).toBe(false);
    expect(test.error).toContain('no SMTP server');

    const ticket = await customer.tickets.create.mutate(ticketInput());
    await agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Kept.',
      clientId: randomUUID(),
    });
    await expect
      .poll(
        async () =>
          (
            await t.database.db.$client.query<{ status: string }>(
              `select status from outgoing_mail where ticket_id = $1 and kind = 'agent_replied'`,
              [ticket.id],
            )
          ).rows.map((row) => row.status),
        { timeout: 20_000, interval: 100 },
      )
      .toEqual(['kept']);
    const aboutIt = [...savedInbox.mails, ...envInbox.mails].filter((m) =>
      mailBody(m).includes(ticket.id),
    );
    expect(aboutIt).toEqual([]);

    await admin.channels.removeSettings.mutate({ channel: 'email' });
    expect((await admin.channels.settings.query()).email).toMatchObject({
      source: 'environment',
      smtpServer: envInbox.url,
      mailFrom: 'Parley <parley@localhost>',
      supportAddress: envSupport,
    });
    const { mail } = await replyEmail(envInbox);
    expect(mail.headers.get('from')).toBe('Parley <parley@localhost>');
  });
});
