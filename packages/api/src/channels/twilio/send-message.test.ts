import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentSendError, type ChannelAdapter, type OutboundMessage } from '../adapter';
import { startFakeTwilio, type FakeTwilio } from '../testing/fake-twilio';
import { createTwilioAdapter } from './create-twilio-adapter';
import { splitForSms } from './outbound-text';
import { TwilioRefusedError } from './send-message';
import type { TwilioConfig } from './settings';

let twilio: FakeTwilio;
beforeEach(async () => {
  twilio = await startFakeTwilio();
});
afterEach(async () => {
  await twilio.close();
});

const adapterFor = (overrides: Partial<TwilioConfig> = {}): ChannelAdapter =>
  createTwilioAdapter({
    apiUrl: twilio.url,
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: '+14155550199',
    statusCallbackUrl: 'https://parley.example/webhooks/twilio/status',
    ...overrides,
  });

const message = (fields: Partial<OutboundMessage> = {}): OutboundMessage => ({
  to: '+14155550123',
  text: 'Your ticket #42 is solved.',
  quickReplies: [],
  media: [],
  template: null,
  ...fields,
});

const file = (n: number) => ({
  url: `https://files.parley.example/signed/${n}?sig=abc`,
  contentType: 'image/png',
  fileName: `${n}.png`,
  read: async () => Buffer.from([n]),
});

/** The rejection of a promise (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the send to fail');
}

describe('send', () => {
  it('posts To, From, Body and StatusCallback and answers the Message sid', async () => {
    const result = await adapterFor().send(message());
    const [sent] = await twilio.waitForSends(1);
    expect(result).toEqual({ providerMessageIds: [sent!.sid] });
    expect(sent!.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent).toMatchObject({
      to: '+14155550123',
      from: '+14155550199',
      messagingServiceSid: null,
      body: 'Your ticket #42 is solved.',
      statusCallback: 'https://parley.example/webhooks/twilio/status',
      mediaUrls: [],
    });
    expect(Object.keys(sent!.form).sort()).toEqual(['Body', 'From', 'StatusCallback', 'To']);
  });

  it('leaves StatusCallback out when none is configured', async () => {
    await adapterFor({ statusCallbackUrl: null }).send(message());
    expect(twilio.sent[0]!.form).not.toHaveProperty('StatusCallback');
  });

  it('sends from a Messaging Service (MG…) as MessagingServiceSid, without From', async () => {
    const service = 'MG0123456789abcdef0123456789abcdef';
    await adapterFor({ from: service }).send(message());
    expect(twilio.sent[0]).toMatchObject({ messagingServiceSid: service, from: null });
    expect(twilio.sent[0]!.form).not.toHaveProperty('From');
  });

  it('writes quick replies as a numbered list under the text', async () => {
    await adapterFor().send(
      message({ text: 'How can we help?', quickReplies: ['Billing', 'Talk to a person'] }),
    );
    expect(twilio.sent[0]!.body).toBe(
      'How can we help?\n\nReply with a number:\n1. Billing\n2. Talk to a person',
    );
  });

  it('splits a text over 1600 characters into messages, in order, at spaces', async () => {
    const words = Array.from({ length: 700 }, (_, i) => `word${i}`);
    const text = words.join(' '); // ~5,000 characters
    const result = await adapterFor().send(message({ text }));
    const sent = twilio.sent;
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(result.providerMessageIds).toEqual(sent.map((s) => s.sid));
    for (const part of sent) expect(part.body!.length).toBeLessThanOrEqual(1600);
    expect(sent.map((s) => s.body).join('')).toBe(text);
    for (const part of sent.slice(0, -1)) expect(part.body!.endsWith(' ')).toBe(true);
  });

  it('keeps a 1600-character text in one message', async () => {
    await adapterFor().send(message({ text: 'x'.repeat(1600) }));
    expect(twilio.sent).toHaveLength(1);
  });

  it('never cuts an emoji in half', async () => {
    const text = `${'x'.repeat(1599)}😀${'y'.repeat(10)}`;
    await adapterFor().send(message({ text }));
    expect(twilio.sent.map((s) => s.body)).toEqual(['x'.repeat(1599), `😀${'y'.repeat(10)}`]);
  });

  it("sends files as MediaUrl (each file's signed url), ten a message", async () => {
    const media = Array.from({ length: 12 }, (_, i) => file(i));
    const result = await adapterFor().send(message({ text: 'Your invoices', media }));
    expect(result.providerMessageIds).toHaveLength(2);
    expect(twilio.sent[0]).toMatchObject({
      body: 'Your invoices',
      mediaUrls: media.slice(0, 10).map((m) => m.url),
    });
    expect(twilio.sent[1]).toMatchObject({
      body: null,
      mediaUrls: media.slice(10).map((m) => m.url),
    });
  });

  it('sends a file without text, with no Body', async () => {
    await adapterFor().send(message({ text: '', media: [file(1)] }));
    expect(twilio.sent[0]!.form).not.toHaveProperty('Body');
    expect(twilio.sent[0]!.mediaUrls).toEqual([file(1).url]);
  });

  it('refuses a template: SMS has none', async () => {
    const error = await rejection(
      adapterFor().send(
        message({ template: { name: 'ticket_update', language: 'en', variables: ['42'] } }),
      ),
    );
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(error.message).toBe('SMS has no templates');
    expect(twilio.requests).toHaveLength(0);
  });

  it('refuses a message with nothing to send', async () => {
    const error = await rejection(adapterFor().send(message({ text: '' })));
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(twilio.requests).toHaveLength(0);
  });
});

describe('send: errors', () => {
  it("an invalid number (400, 21211) is permanent, with Twilio's message and code", async () => {
    twilio.failNext(400, {
      code: 21211,
      message: "The 'To' number +1555 is not a valid phone number.",
    });
    const error = await rejection(adapterFor().send(message()));
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(error).toBeInstanceOf(TwilioRefusedError);
    expect(error).toMatchObject({ code: 21211, httpStatus: 400 });
    expect(error.message).toContain("The 'To' number +1555 is not a valid phone number.");
    expect(error.message).toContain('21211');
  });

  it('a recipient who replied STOP (400, 21610) is permanent', async () => {
    twilio.failNext(400, { code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const error = await rejection(adapterFor().send(message()));
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(error.message).toMatch(/unsubscribed recipient.*21610/);
  });

  it('an invalid number caught by the fake itself is permanent too', async () => {
    const error = await rejection(adapterFor().send(message({ to: '4155550123' })));
    expect(error).toMatchObject({ code: 21211, httpStatus: 400 });
  });

  it('wrong credentials (401, 20003) are permanent and say so', async () => {
    const error = await rejection(adapterFor({ authToken: 'wrong' }).send(message()));
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(error).toMatchObject({ code: 20003, httpStatus: 401 });
    expect(twilio.requests).toEqual([{ status: 401, authorized: false }]);
    expect(twilio.sent).toHaveLength(0);
  });

  it('sends Basic auth of AccountSid:AuthToken (the fake accepts nothing else)', async () => {
    await adapterFor().send(message());
    expect(twilio.requests).toEqual([{ status: 201, authorized: true }]);
  });

  it.each([429, 500, 503])('HTTP %i is worth retrying (not permanent)', async (status) => {
    twilio.failNext(status, { code: status === 429 ? 20429 : 20500, message: 'Too busy' });
    const error = await rejection(adapterFor().send(message()));
    expect(error).not.toBeInstanceOf(PermanentSendError);
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('Too busy');
    // and a retry goes through
    await adapterFor().send(message());
    expect(twilio.sent).toHaveLength(1);
  });

  it('no answer within timeoutMs is worth retrying', async () => {
    twilio.stallNext();
    const error = await rejection(adapterFor({ timeoutMs: 300 }).send(message()));
    expect(error).not.toBeInstanceOf(PermanentSendError);
    expect(error.message).toBe('Twilio did not answer within 300 ms');
  });

  it('an unreachable API is worth retrying', async () => {
    const apiUrl = twilio.url;
    await twilio.close();
    const error = await rejection(adapterFor({ apiUrl }).send(message()));
    expect(error).not.toBeInstanceOf(PermanentSendError);
    expect(error.message).toMatch(/^Twilio could not be reached/);
    twilio = await startFakeTwilio(); // for afterEach
  });

  it('a later part failing fails the send (the earlier parts were sent)', async () => {
    let calls = 0;
    // The second request (the text's second part) meets a 503.
    const secondFails: typeof fetch = (input, init) => {
      if (++calls === 2) twilio.failNext(503, { code: 20503, message: 'Service unavailable' });
      return fetch(input, init);
    };
    const error = await rejection(
      adapterFor({ fetch: secondFails }).send(message({ text: 'a '.repeat(1000) })),
    );
    expect(error).not.toBeInstanceOf(PermanentSendError);
    expect(error.message).toContain('HTTP 503');
    expect(twilio.sent).toHaveLength(1);
    expect(twilio.requests.map((r) => r.status)).toEqual([201, 503]);
  });

  it('reports each part as Twilio takes it, and a retry sends only the parts not reported', async () => {
    const text = `${'a '.repeat(1000)}${'b '.repeat(1000)}`;
    const reported = new Map<number, string>();
    const progress = () => ({
      sent: new Set(reported.keys()),
      onPartSent: async (part: number, sid: string) => void reported.set(part, sid),
    });
    let calls = 0;
    const secondFails: typeof fetch = (input, init) => {
      if (++calls === 2) twilio.failNext(503, { code: 20503, message: 'Service unavailable' });
      return fetch(input, init);
    };
    const adapter = adapterFor({ fetch: secondFails });
    await rejection(adapter.send(message({ text }), progress()));
    expect([...reported]).toEqual([[0, twilio.sent[0]!.sid]]);
    const retried = await adapter.send(message({ text }), progress());
    expect(twilio.sent.map((s) => s.body)).toEqual(splitForSms(text));
    expect(retried.providerMessageIds).toEqual(twilio.sent.slice(1).map((s) => s.sid));
    expect([...reported.keys()]).toEqual([0, 1, 2]);
  });
});
