import { randomBytes } from 'node:crypto';
import { noChannelSettings, startLiveChannels } from '@parley/api';
import {
  createSupportDeskUsers,
  signWhatsApp,
  startFakeTwilio,
  startFakeWhatsAppCloud,
  testSecretKey,
  whatsappWebhookBody,
  type FakeTwilio,
  type FakeWhatsAppCloud,
} from '@parley/api/testing';
import { createSecretBox } from '@parley/api';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';

type Client = ReturnType<typeof httpClient>;

const publicUrl = 'https://support.example.com';
const saved = { appSecret: 'saved-app-secret', verifyToken: 'saved-verify-token' };

describe('channel settings saved by an admin (test plan 83)', () => {
  let cloud: FakeWhatsAppCloud;
  let twilio: FakeTwilio;
  let t: TestServer;
  let admin: Client;
  let agent: Client;

  beforeAll(async () => {
    cloud = await startFakeWhatsAppCloud({ accessToken: `EAAG${randomBytes(12).toString('hex')}` });
    twilio = await startFakeTwilio();
    // Nothing in the environment but where the providers are (the fakes).
    t = await startTestServer({
      channels: {
        ...noChannelSettings(publicUrl),
        apiUrls: { whatsapp: cloud.url, sms: twilio.url },
      },
    });
    const users = await createSupportDeskUsers(t.database.db);
    const session = async (id: string) => (await t.server.services.auth.createSession(id)).token;
    admin = httpClient(t.url, { token: await session(users.admin.id) });
    agent = httpClient(t.url, { token: await session(users.agent.id) });
  });
  afterAll(async () => {
    await t?.[Symbol.asyncDispose]();
    await cloud?.[Symbol.asyncDispose]();
    await twilio?.[Symbol.asyncDispose]();
  });

  const whatsappForm = () => ({
    phoneNumberId: cloud.phoneNumberId,
    accessToken: cloud.accessToken,
    appSecret: saved.appSecret,
    verifyToken: saved.verifyToken,
    templates: [{ name: 'follow_up', language: 'en_US', body: 'Hello {{1}}, any news?' }],
  });
  const handshake = (token: string) =>
    fetch(
      `${t.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=42`,
    );
  const inbound = (from: string, secret: string) => {
    const body = whatsappWebhookBody({ from, name: 'Rosa Diaz', text: 'Hello?' });
    return fetch(`${t.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': signWhatsApp(body, secret),
      },
      body,
    });
  };
  const storedText = async () =>
    (
      await t.database.db.$client.query<{ settings: string }>(
        'select settings::text as settings from channel_settings',
      )
    ).rows
      .map((row) => row.settings)
      .join('\n');

  it('sets WhatsApp up from the admin settings: secrets sealed at rest, never answered, used at once', async () => {
    const before = await admin.channels.status.query();
    expect(before.find((c) => c.channel === 'whatsapp')).toMatchObject({
      configured: false,
      source: null,
    });
    // Only admins read or change them.
    await expect(agent.channels.settings.query()).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(
      agent.channels.saveSettings.mutate({ channel: 'whatsapp', ...whatsappForm() }),
    ).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });

    // A first save needs every secret, and says which one is missing.
    const missing = await admin.channels.saveSettings
      .mutate({ channel: 'whatsapp', ...whatsappForm(), appSecret: '' })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(TRPCClientError);
    expect((missing as TRPCClientError<never>).data).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { appSecret: ['Enter the app secret'] },
    });

    await admin.channels.saveSettings.mutate({ channel: 'whatsapp', ...whatsappForm() });

    // Sealed in the database; not in any answer.
    const stored = await storedText();
    expect(stored).toContain('sealed:v1:');
    const answers = JSON.stringify([
      await admin.channels.settings.query(),
      await admin.channels.status.query(),
    ]);
    for (const secret of [cloud.accessToken, saved.appSecret, saved.verifyToken]) {
      expect(stored).not.toContain(secret);
      expect(answers).not.toContain(secret);
    }
    expect((await admin.channels.settings.query()).whatsapp).toMatchObject({
      source: 'saved',
      phoneNumberId: cloud.phoneNumberId,
      secretsSet: ['accessToken', 'appSecret', 'verifyToken'],
      templates: [{ name: 'follow_up' }],
    });

    // In use at once: Meta's handshake, a signed inbound message, a test send.
    expect(await (await handshake(saved.verifyToken)).text()).toBe('42');
    expect((await inbound('14155550123', 'another-secret')).status).toBe(401);
    expect((await inbound('14155550123', saved.appSecret)).status).toBe(200);
    await expect
      .poll(async () => (await agent.tickets.list.query({ limit: 10 })).items.length, {
        timeout: 30_000,
      })
      .toBe(1);
    const requestsBefore = cloud.requests.length;
    const test = await admin.channels.sendTest.mutate({ channel: 'whatsapp', to: '+14155550123' });
    expect(test).toMatchObject({ ok: true, error: null });
    const calls = cloud.requests.slice(requestsBefore);
    expect(calls.map((call) => [call.path, call.authorization, call.status])).toEqual([
      [`/v21.0/${cloud.phoneNumberId}/messages`, `Bearer ${cloud.accessToken}`, 200],
    ]);
  });

  it('keeps the secrets in use when a save leaves them empty, and forgets saved settings on remove', async () => {
    await admin.channels.saveSettings.mutate({
      channel: 'whatsapp',
      ...whatsappForm(),
      accessToken: '',
      appSecret: '',
      verifyToken: '',
      templates: [],
    });
    expect((await admin.channels.settings.query()).whatsapp).toMatchObject({
      secretsSet: ['accessToken', 'appSecret', 'verifyToken'],
      templates: [],
    });
    expect(await (await handshake(saved.verifyToken)).text()).toBe('42');

    await admin.channels.removeSettings.mutate({ channel: 'whatsapp' });
    expect(
      (await admin.channels.status.query()).find((c) => c.channel === 'whatsapp'),
    ).toMatchObject({ configured: false, source: null });
    expect((await handshake(saved.verifyToken)).status).not.toBe(200);
    expect(await storedText()).toBe('');
  });

  it('sets SMS up, its sender written as E.164, and another server process follows within its refresh', async () => {
    const other = await startLiveChannels({
      db: t.database.db,
      base: { ...noChannelSettings(publicUrl), apiUrls: { whatsapp: cloud.url, sms: twilio.url } },
      secrets: createSecretBox(testSecretKey),
      secretKey: testSecretKey,
      refreshMs: 100,
    });
    try {
      expect(other.adapter('sms')).toBeNull();
      const bad = await admin.channels.saveSettings
        .mutate({
          channel: 'sms',
          accountSid: twilio.accountSid,
          authToken: twilio.authToken,
          from: 'my shop',
        })
        .catch((error: unknown) => error);
      expect((bad as TRPCClientError<never>).data).toMatchObject({
        code: 'BAD_REQUEST',
        fieldErrors: { from: [expect.stringMatching(/country code/)] },
      });
      await admin.channels.saveSettings.mutate({
        channel: 'sms',
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: '+1 415 555 0100',
      });
      expect((await admin.channels.settings.query()).sms).toMatchObject({
        source: 'saved',
        from: '+14155550100',
        secretsSet: ['authToken'],
      });
      const test = await admin.channels.sendTest.mutate({ channel: 'sms', to: '+14155550199' });
      expect(test).toMatchObject({ ok: true, error: null });
      await expect
        .poll(() => other.settings.sms?.from ?? null, { timeout: 10_000 })
        .toBe('+14155550100');
      expect(other.source('sms')).toBe('saved');
    } finally {
      other.close();
    }
  });

  it('turns a channel off, saying why, on a server whose key cannot open what was saved', async () => {
    const stranger = await startLiveChannels({
      db: t.database.db,
      base: noChannelSettings(publicUrl),
      secrets: createSecretBox(randomBytes(32)),
      secretKey: randomBytes(32),
      refreshMs: 60_000,
    });
    try {
      expect(stranger.adapter('sms')).toBeNull();
      expect(stranger.problem('sms')).toMatch(/PARLEY_SECRETS_KEY/);
    } finally {
      stranger.close();
    }
  });
});
