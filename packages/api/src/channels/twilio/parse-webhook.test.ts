import { describe, expect, it } from 'vitest';
import {
  signedTwilioRequest,
  twilioInboundForm,
  twilioStatusForm,
  type TwilioForm,
} from '../testing/fake-twilio';
import { createTwilioAdapter } from './create-twilio-adapter';

const authToken = 'test-auth-token';
const url = 'https://parley.example/webhooks/twilio';
const adapter = createTwilioAdapter({
  apiUrl: 'http://127.0.0.1:9',
  accountSid: 'AC00000000000000000000000000000000',
  authToken,
  from: '+14155550199',
  statusCallbackUrl: null,
});
const parse = (form: TwilioForm) => {
  const request = signedTwilioRequest(url, form, authToken);
  expect(adapter.verify(request)).toBe(true);
  return adapter.parse(request);
};

describe('parse: inbound messages', () => {
  it('reads a text message: sid, sender in E.164, body, no media, no name', () => {
    const before = Date.now();
    const items = parse(
      twilioInboundForm({
        from: '+14155550123',
        to: '+14155550199',
        body: 'Hello, my order #42 never came',
        sid: 'SM0123456789abcdef0123456789abcdef',
      }),
    );
    expect(items).toEqual([
      {
        kind: 'message',
        providerMessageId: 'SM0123456789abcdef0123456789abcdef',
        from: '+14155550123',
        profileName: null,
        text: 'Hello, my order #42 never came',
        media: [],
        at: expect.any(Date) as Date,
      },
    ]);
    expect(items[0]!.at.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('reads each file of an MMS with its content type, in order', () => {
    const items = parse(
      twilioInboundForm({
        from: '+14155550123',
        to: '+14155550199',
        body: '',
        sid: 'MM0123456789abcdef0123456789abcdef',
        media: [
          {
            url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
            contentType: 'image/jpeg',
          },
          {
            url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
            contentType: 'application/pdf',
          },
        ],
      }),
    );
    expect(items).toMatchObject([
      {
        kind: 'message',
        text: '',
        media: [
          {
            ref: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
            contentType: 'image/jpeg',
            fileName: null,
          },
          {
            ref: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
            contentType: 'application/pdf',
            fileName: null,
          },
        ],
      },
    ]);
  });

  it('ignores ProfileName (WhatsApp only) on an SMS', () => {
    const form = twilioInboundForm({ from: '+14155550123', to: '+14155550199', body: 'hi' });
    form.push(['ProfileName', 'Mallory']);
    expect(parse(form)).toMatchObject([{ kind: 'message', profileName: null }]);
  });

  it('skips a sender that is not an E.164 number (a WhatsApp address)', () => {
    const form = twilioInboundForm({
      from: 'whatsapp:+14155550123',
      to: 'whatsapp:+14155550199',
      body: 'hi',
    });
    expect(parse(form)).toEqual([]);
  });

  it('reads only form bodies: a body declared as JSON is skipped', () => {
    const form = twilioInboundForm({ from: '+14155550123', to: '+14155550199', body: 'hi' });
    const request = signedTwilioRequest(url, form, authToken);
    expect(adapter.parse(request)).toHaveLength(1);
    request.headers['content-type'] = 'application/json';
    expect(adapter.parse(request)).toEqual([]);
  });
});

describe('parse: status callbacks', () => {
  const sid = 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';

  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
  ] as const)('%s → %s, without an error', (twilio, status) => {
    expect(parse(twilioStatusForm({ sid, status: twilio }))).toEqual([
      { kind: 'status', providerMessageId: sid, status, error: null, at: expect.any(Date) as Date },
    ]);
  });

  it.each([
    ['undelivered', 30003, 'Unreachable destination handset (Twilio error 30003)'],
    ['undelivered', 30005, 'Unknown destination handset (Twilio error 30005)'],
    ['undelivered', 30006, 'Landline or unreachable carrier (Twilio error 30006)'],
    ['undelivered', 30007, 'Message filtered by the carrier (Twilio error 30007)'],
    ['failed', 21610, 'The recipient replied STOP (unsubscribed) (Twilio error 21610)'],
    ['failed', 99999, 'Twilio error 99999'],
  ] as const)('%s with ErrorCode %s → failed, "%s"', (twilio, code, words) => {
    expect(parse(twilioStatusForm({ sid, status: twilio, errorCode: code }))).toMatchObject([
      { kind: 'status', providerMessageId: sid, status: 'failed', error: words },
    ]);
  });

  it('failed without an ErrorCode still says so', () => {
    expect(parse(twilioStatusForm({ sid, status: 'failed' }))).toMatchObject([
      { status: 'failed', error: 'Twilio reported the message failed' },
    ]);
  });

  it.each(['queued', 'sending', 'accepted', 'scheduled'])(
    '%s is skipped (still on its way)',
    (status) => {
      expect(parse(twilioStatusForm({ sid, status }))).toEqual([]);
    },
  );
});

describe('acknowledgement', () => {
  it('is an empty TwiML response', () => {
    expect(adapter.acknowledgement()).toEqual({
      contentType: 'text/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
    });
  });

  it('is an SMS channel with consent keywords', () => {
    expect(adapter.channel).toBe('sms');
    expect(adapter.consent?.('STOP')).toBe('opt-out');
  });
});
