import { describe, expect, it } from 'vitest';
import { startFakeTwilio } from './fake-twilio';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('fake Twilio', () => {
  it('answers a create with a 201 Message resource as documented', async () => {
    const twilio = await startFakeTwilio();
    try {
      const response = await fetch(
        `${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`,
        {
          method: 'POST',
          headers: {
            authorization: basic(twilio.accountSid, twilio.authToken),
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'To=%2B14155550123&From=%2B14155550199&Body=Hi+there',
        },
      );
      expect(response.status).toBe(201);
      const resource = (await response.json()) as Record<string, unknown>;
      expect(resource).toMatchObject({
        account_sid: twilio.accountSid,
        to: '+14155550123',
        from: '+14155550199',
        body: 'Hi there',
        status: 'queued',
        direction: 'outbound-api',
        error_code: null,
        api_version: '2010-04-01',
      });
      expect(resource.sid).toMatch(/^SM[0-9a-f]{32}$/);
      expect(twilio.sent[0]!.sid).toBe(resource.sid);
    } finally {
      await twilio.close();
    }
  });

  it('refuses a create without the right Basic auth with Twilio error JSON', async () => {
    const twilio = await startFakeTwilio();
    try {
      const response = await fetch(
        `${twilio.url}/2010-04-01/Accounts/${twilio.accountSid}/Messages.json`,
        {
          method: 'POST',
          headers: { authorization: basic(twilio.accountSid, 'nope') },
          body: new URLSearchParams({ To: '+14155550123', From: '+14155550199', Body: 'x' }),
        },
      );
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
      expect(twilio.sent).toHaveLength(0);
    } finally {
      await twilio.close();
    }
  });

  it('serves media only with Basic auth', async () => {
    const twilio = await startFakeTwilio();
    try {
      const url = twilio.addMedia(Buffer.from('png'), 'image/png');
      expect((await fetch(url)).status).toBe(401);
      const ok = await fetch(url, {
        headers: { authorization: basic(twilio.accountSid, twilio.authToken) },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await ok.arrayBuffer()).toString()).toBe('png');
    } finally {
      await twilio.close();
    }
  });

  it('waitForSends says how many arrived when it gives up', async () => {
    const twilio = await startFakeTwilio();
    try {
      await expect(twilio.waitForSends(1, 100)).rejects.toThrow(
        'fake Twilio: 0 of 1 sends after 100 ms',
      );
    } finally {
      await twilio.close();
    }
  });

  it('is disposable: the port is closed afterwards', async () => {
    const twilio = await startFakeTwilio();
    await twilio[Symbol.asyncDispose]();
    await expect(fetch(`${twilio.url}/`)).rejects.toThrow();
  });
});
