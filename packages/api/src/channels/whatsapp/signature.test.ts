import { describe, expect, it } from 'vitest';
import {
  signedWhatsAppWebhook,
  signWhatsApp,
  whatsappWebhookBody,
} from '../testing/fake-whatsapp-cloud';
import { createWhatsAppAdapter } from './index';
import { verifyWhatsAppSignature } from './signature';

const appSecret = 'app-secret-1';
const adapter = createWhatsAppAdapter({
  apiUrl: 'http://127.0.0.1:9',
  phoneNumberId: '106540352242922',
  accessToken: 'token',
  appSecret,
  verifyToken: 'verify-me',
});
const body = whatsappWebhookBody({ from: '+16505551234', name: 'Sheena', text: 'Hello' });
const request = (headers: Record<string, string | undefined>, raw = body) => ({
  method: 'POST',
  url: 'https://parley.example/webhooks/whatsapp',
  headers,
  rawBody: Buffer.from(raw),
});

describe('WhatsApp signature (X-Hub-Signature-256)', () => {
  it('accepts the HMAC of the raw body with the app secret, whatever the header case', () => {
    const signature = signWhatsApp(body, appSecret);
    expect(adapter.verify(request({ 'x-hub-signature-256': signature }))).toBe(true);
    expect(adapter.verify(request({ 'X-Hub-Signature-256': signature }))).toBe(true);
    expect(
      adapter.verify(
        request({ 'x-hub-signature-256': signature.toUpperCase().replace('SHA256', 'sha256') }),
      ),
    ).toBe(true);
  });

  it("verifies and parses a webhook signed the way Meta signs it (the fake's helper)", () => {
    const { headers, rawBody } = signedWhatsAppWebhook(body, appSecret);
    const signed = {
      method: 'POST',
      url: 'https://parley.example/webhooks/whatsapp',
      headers,
      rawBody,
    };
    expect(adapter.verify(signed)).toBe(true);
    expect(adapter.parse(signed)).toMatchObject([
      { kind: 'message', from: '+16505551234', profileName: 'Sheena', text: 'Hello' },
    ]);
    expect(adapter.verify(signedWhatsAppWebhook(body, 'another secret'))).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    const forged = signWhatsApp(body, 'not-the-secret');
    expect(adapter.verify(request({ 'x-hub-signature-256': forged }))).toBe(false);
  });

  it('refuses a body changed after signing (the same JSON re-encoded included)', () => {
    const signature = signWhatsApp(body, appSecret);
    const reencoded = JSON.stringify(JSON.parse(body), null, 1);
    expect(adapter.verify(request({ 'x-hub-signature-256': signature }, reencoded))).toBe(false);
    expect(
      adapter.verify(request({ 'x-hub-signature-256': signature }, body.replace('Hello', 'Hellp'))),
    ).toBe(false);
  });

  it('refuses a missing, empty or malformed header', () => {
    const hex = signWhatsApp(body, appSecret).slice('sha256='.length);
    expect(adapter.verify(request({}))).toBe(false);
    expect(adapter.verify(request({ 'x-hub-signature-256': undefined }))).toBe(false);
    expect(adapter.verify(request({ 'x-hub-signature-256': '' }))).toBe(false);
    expect(adapter.verify(request({ 'x-hub-signature-256': hex }))).toBe(false); // no prefix
    expect(adapter.verify(request({ 'x-hub-signature-256': `sha1=${hex}` }))).toBe(false);
    expect(
      adapter.verify(request({ 'x-hub-signature-256': `sha256=${hex.replace(/^./, 'z')}` })),
    ).toBe(false);
    // X-Hub-Signature (SHA-1) is not accepted in place of the SHA-256 one.
    expect(adapter.verify(request({ 'x-hub-signature': `sha256=${hex}` }))).toBe(false);
  });

  it('refuses a signature of the wrong length', () => {
    const hex = signWhatsApp(body, appSecret).slice('sha256='.length);
    expect(adapter.verify(request({ 'x-hub-signature-256': `sha256=${hex.slice(0, 62)}` }))).toBe(
      false,
    );
    expect(adapter.verify(request({ 'x-hub-signature-256': `sha256=${hex}00` }))).toBe(false);
  });

  it('refuses everything for an empty app secret (an empty HMAC key is public)', () => {
    const signature = signWhatsApp(body, '');
    expect(verifyWhatsAppSignature(Buffer.from(body), signature, '')).toBe(false);
    expect(verifyWhatsAppSignature(Buffer.from(body), signWhatsApp(body, 's'), 's')).toBe(true);
  });

  it('will not be created without its secrets or with an API URL that is not one', () => {
    const settings = {
      apiUrl: 'https://graph.facebook.com',
      phoneNumberId: '1',
      accessToken: 't',
      appSecret: 's',
      verifyToken: 'v',
    };
    expect(() => createWhatsAppAdapter(settings)).not.toThrow();
    expect(() => createWhatsAppAdapter({ ...settings, appSecret: '', verifyToken: ' ' })).toThrow(
      'WhatsApp settings missing: appSecret, verifyToken',
    );
    expect(() => createWhatsAppAdapter({ ...settings, apiUrl: 'graph.facebook.com' })).toThrow(
      /not a URL/,
    );
  });
});

describe('WhatsApp subscription handshake', () => {
  const url = (query: string) => new URL(`https://parley.example/webhooks/whatsapp?${query}`);

  it('answers the challenge when the mode is subscribe and the token is ours', () => {
    expect(
      adapter.handshake?.(
        url('hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444'),
      ),
    ).toBe('1158201444');
  });

  it('answers null for a wrong or missing token, another mode, or no challenge', () => {
    expect(
      adapter.handshake?.(url('hub.mode=subscribe&hub.verify_token=verify-mf&hub.challenge=1')),
    ).toBeNull();
    expect(
      adapter.handshake?.(url('hub.mode=subscribe&hub.verify_token=verify-me-too&hub.challenge=1')),
    ).toBeNull();
    expect(adapter.handshake?.(url('hub.mode=subscribe&hub.challenge=1'))).toBeNull();
    expect(
      adapter.handshake?.(url('hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1')),
    ).toBeNull();
    expect(adapter.handshake?.(url('hub.verify_token=verify-me&hub.challenge=1'))).toBeNull();
    expect(adapter.handshake?.(url('hub.mode=subscribe&hub.verify_token=verify-me'))).toBeNull();
  });

  it('acknowledges a webhook with an empty 200 text body', () => {
    expect(adapter.acknowledgement()).toEqual({ contentType: 'text/plain', body: '' });
  });
});
