import { createSecretBox, noChannelSettings, startLiveChannels } from '@parley/api';
import {
  createSupportDeskUsers,
  postTwilioWebhook,
  startFakeTwilio,
  testSecretKey,
  twilioInboundForm,
  type FakeTwilio,
} from '@parley/api/testing';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { engineSettled } from './testing/engine-settled';

type Client = ReturnType<typeof httpClient>;

/** The address Twilio is told to call (it signs this URL, whatever port the test uses). */
const publicUrl = 'https://support.example.com';
const ourNumber = '+14155550199';

describe('conversation settings saved by an admin (test plan 85)', () => {
  let twilio: FakeTwilio;
  let t: TestServer;
  let admin: Client;
  let agent: Client;

  beforeAll(async () => {
    twilio = await startFakeTwilio();
    // The environment's conversation settings: no bot, no closing message, never reopen.
    t = await startTestServer({
      notify: { pollMs: 100 },
      channels: {
        ...noChannelSettings(publicUrl),
        sms: twilio.smsSettings(ourNumber),
        botEnabled: false,
        closingMessage: '',
        reopenDays: 0,
      },
    });
    const users = await createSupportDeskUsers(t.database.db);
    const session = async (id: string) => (await t.server.services.auth.createSession(id)).token;
    admin = httpClient(t.url, { token: await session(users.admin.id) });
    agent = httpClient(t.url, { token: await session(users.agent.id) });
    // Something for the bot to answer with, so only the switch keeps it quiet.
    await admin.bot.answers.create.mutate({
      name: 'Opening hours',
      phrasings: ['opening hours', 'when are you open'],
      reply: 'We are open 9:00–17:00, Monday to Friday.',
      position: 1,
    });
  });
  afterAll(async () => {
    await t?.[Symbol.asyncDispose]();
    await twilio?.[Symbol.asyncDispose]();
  });

  /** A text from `from`, posted as Twilio does (signed for the public URL). */
  async function inbound(from: string, body: string) {
    const response = await postTwilioWebhook(
      t.url,
      publicUrl,
      twilioInboundForm({ from, to: ourNumber, body }),
      twilio.authToken,
    );
    expect(response.status).toBe(200);
  }
  const ticketsOf = async (phone: string) =>
    (await agent.tickets.list.query({ limit: 50 })).items.filter(
      (item) => item.customer.name === phone,
    );
  /** Every send planned so far has gone out (or nothing was planned). */
  const quiet = () =>
    engineSettled(t.database.db, { cursor: 'channels', task: 'channel-send' }, 30_000);
  /** The error data of a call that must be refused. */
  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => null,
      (error: unknown): unknown => {
        expect(error).toBeInstanceOf(TRPCClientError);
        return (error as TRPCClientError<never>).data;
      },
    );
  const form = { botEnabled: false, closingMessage: 'Closed.', reopenDays: 7 };

  it("answers the environment's settings to admins only, and refuses values out of range", async () => {
    expect(await admin.channels.conversationSettings.query()).toEqual({
      source: 'environment',
      problem: null,
      botEnabled: false,
      closingMessage: '',
      reopenDays: 0,
    });
    await expect(agent.channels.conversationSettings.query()).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(agent.channels.saveConversationSettings.mutate(form)).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(agent.channels.resetConversationSettings.mutate()).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });

    expect(
      await refusal(admin.channels.saveConversationSettings.mutate({ ...form, reopenDays: 400 })),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { reopenDays: ['The reopen window is a whole number of days from 0 to 365'] },
    });
    expect(
      await refusal(admin.channels.saveConversationSettings.mutate({ ...form, reopenDays: 1.5 })),
    ).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { reopenDays: [expect.any(String)] } });
    expect(
      await refusal(
        admin.channels.saveConversationSettings.mutate({
          ...form,
          closingMessage: 'x'.repeat(1001),
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { closingMessage: ['The closing message is at most 1,000 characters'] },
    });
    // Nothing was saved.
    expect((await admin.channels.conversationSettings.query()).source).toBe('environment');
  });

  it('sends the saved closing message when an SMS ticket closes, and reopens that ticket when the contact writes again', async () => {
    // The environment's settings first: closing sends nothing, writing again starts anew.
    const early = '+14155550121';
    await inbound(early, 'Do you ship to Canada?');
    const [first] = await ticketsOf(early);
    let before = twilio.sent.length;
    await agent.tickets.update.mutate({ ticketId: first!.id, status: 'closed' });
    await quiet();
    expect(twilio.sent.length).toBe(before);
    await inbound(early, 'And to Mexico?');
    expect(await ticketsOf(early)).toHaveLength(2);

    await admin.channels.saveConversationSettings.mutate({
      botEnabled: false,
      closingMessage: '  Thanks for texting us! This ticket is closed now.  ',
      reopenDays: 7,
    });
    expect(await admin.channels.conversationSettings.query()).toEqual({
      source: 'saved',
      problem: null,
      botEnabled: false,
      closingMessage: 'Thanks for texting us! This ticket is closed now.',
      reopenDays: 7,
    });

    const from = '+14155550122';
    await inbound(from, 'My parcel is damaged');
    const [ticket] = await ticketsOf(from);
    before = twilio.sent.length;
    await agent.tickets.update.mutate({ ticketId: ticket!.id, status: 'closed' });
    const [closing] = (await twilio.waitForSends(before + 1, 30_000)).slice(before);
    expect(closing).toMatchObject({
      to: from,
      from: ourNumber,
      body: 'Thanks for texting us! This ticket is closed now.',
    });

    await inbound(from, 'Sorry, one more photo of the box');
    const theirs = await ticketsOf(from);
    expect(theirs.map((item) => [item.id, item.status])).toEqual([[ticket!.id, 'open']]);
    const thread = await agent.messages.list.query({ ticketId: ticket!.id, limit: 50 });
    expect(thread.items.at(-1)?.body).toBe('Sorry, one more photo of the box');

    // Reset: the environment's settings apply again (no closing message, no reopening).
    await admin.channels.resetConversationSettings.mutate();
    expect(await admin.channels.conversationSettings.query()).toEqual({
      source: 'environment',
      problem: null,
      botEnabled: false,
      closingMessage: '',
      reopenDays: 0,
    });
    before = twilio.sent.length;
    await agent.tickets.update.mutate({ ticketId: ticket!.id, status: 'closed' });
    await quiet();
    expect(twilio.sent.length).toBe(before);
    await inbound(from, 'A new question');
    expect(await ticketsOf(from)).toHaveLength(2);
  });

  it('turns the bot on for new conversations at once here, and within its refresh in another process', async () => {
    const other = await startLiveChannels({
      db: t.database.db,
      base: { ...noChannelSettings(publicUrl), botEnabled: false },
      secrets: createSecretBox(testSecretKey),
      secretKey: testSecretKey,
      refreshMs: 100,
    });
    try {
      // Off (saved): a new number's first text gets no answer.
      const quietOne = '+14155550123';
      let before = twilio.sent.length;
      await inbound(quietOne, 'What are your opening hours?');
      await quiet();
      expect(twilio.sent.length).toBe(before);

      await admin.channels.saveConversationSettings.mutate({ ...form, botEnabled: true });
      const from = '+14155550124';
      before = twilio.sent.length;
      await inbound(from, 'What are your opening hours?');
      const [answer] = (await twilio.waitForSends(before + 1, 30_000)).slice(before);
      expect(answer).toMatchObject({ to: from });
      expect(answer!.body).toContain('We are open 9:00–17:00');

      await expect.poll(() => other.settings.botEnabled, { timeout: 10_000 }).toBe(true);
      expect(other.settings).toMatchObject({ closingMessage: 'Closed.', reopenDays: 7 });
      expect(other.source('conversations')).toBe('saved');
    } finally {
      other.close();
    }
  });
});
