import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProviderRequest } from '../adapter';
import { signTwilio, signedTwilioRequest, type TwilioForm } from '../testing/fake-twilio';
import { verifyTwilioSignature } from './signature';

// The worked example of Twilio's security docs (https://www.twilio.com/docs/security,
// repeated in twilio-php's validation guide): AuthToken 12345, this URL and these fields
// sign to RSOYDt4T1cUTdK1PDd93/VVr8B8=.
const docToken = '12345';
const docUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const docFields: TwilioForm = [
  ['CallSid', 'CA1234567890ABCDE'],
  ['Caller', '+14158675309'],
  ['Digits', '1234'],
  ['From', '+14158675309'],
  ['To', '+18005551212'],
];
const docSignature = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

function request(
  url: string,
  fields: TwilioForm,
  signature: string | undefined,
  headers: Record<string, string> = {},
): ProviderRequest {
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
      ...headers,
    },
    rawBody: Buffer.from(new URLSearchParams(fields).toString()),
  };
}

describe('X-Twilio-Signature', () => {
  it("accepts Twilio's documented example", () => {
    expect(verifyTwilioSignature(request(docUrl, docFields, docSignature), docToken)).toBe(true);
  });

  it("signs Twilio's documented example like Twilio (the fake's signer)", () => {
    expect(signTwilio(docUrl, docFields, docToken)).toBe(docSignature);
    expect(signTwilio(docUrl, Object.fromEntries(docFields), docToken)).toBe(docSignature);
  });

  it('does not depend on the order the fields were posted in', () => {
    const shuffled = [...docFields].reverse();
    expect(verifyTwilioSignature(request(docUrl, shuffled, docSignature), docToken)).toBe(true);
  });

  it('reads the header whatever the case of its name', () => {
    const req = request(docUrl, docFields, undefined, { 'X-Twilio-Signature': docSignature });
    expect(verifyTwilioSignature(req, docToken)).toBe(true);
  });

  it('refuses another auth token', () => {
    expect(verifyTwilioSignature(request(docUrl, docFields, docSignature), '54321')).toBe(false);
  });

  it('refuses a request without the header, or with an empty one', () => {
    expect(verifyTwilioSignature(request(docUrl, docFields, undefined), docToken)).toBe(false);
    expect(verifyTwilioSignature(request(docUrl, docFields, ''), docToken)).toBe(false);
  });

  it('refuses a malformed header without throwing', () => {
    for (const bad of [
      'not base64!',
      'RSOYDt4T1cUTdK1PDd93',
      `${docSignature}AAAA`,
      'x'.repeat(28),
    ]) {
      expect(verifyTwilioSignature(request(docUrl, docFields, bad), docToken)).toBe(false);
    }
  });

  it('refuses a forged signature (made with another token)', () => {
    const forged = signTwilio(docUrl, docFields, 'guessed-token');
    expect(verifyTwilioSignature(request(docUrl, docFields, forged), docToken)).toBe(false);
  });

  it('refuses a tampered, added or removed field', () => {
    const tampered = docFields.map(([k, v]): [string, string] => [k, k === 'Digits' ? '1235' : v]);
    const added: TwilioForm = [...docFields, ['Body', 'hi']];
    const removed = docFields.filter(([k]) => k !== 'Caller');
    for (const fields of [tampered, added, removed]) {
      expect(verifyTwilioSignature(request(docUrl, fields, docSignature), docToken)).toBe(false);
    }
  });

  it('refuses the same fields posted to another URL (query, path, scheme, host)', () => {
    for (const url of [
      'https://mycompany.com/myapp.php?foo=1&bar=3',
      'https://mycompany.com/myapp.php',
      'https://mycompany.com/other.php?foo=1&bar=2',
      'http://mycompany.com/myapp.php?foo=1&bar=2',
      'https://evil.example/myapp.php?foo=1&bar=2',
    ]) {
      expect(verifyTwilioSignature(request(url, docFields, docSignature), docToken)).toBe(false);
    }
  });

  it('signs the query string as sent, so it must be part of the URL verified', () => {
    const url = 'https://parley.example/webhooks/twilio?tenant=acme&x=%27a%27';
    const signature = signTwilio(url, docFields, docToken);
    expect(verifyTwilioSignature(request(url, docFields, signature), docToken)).toBe(true);
    const withoutQuery = 'https://parley.example/webhooks/twilio';
    expect(verifyTwilioSignature(request(withoutQuery, docFields, signature), docToken)).toBe(
      false,
    );
  });

  it("accepts the URL with or without the scheme's default port, as Twilio's libraries do", () => {
    const signature = signTwilio('https://parley.example:443/hook', docFields, docToken);
    expect(
      verifyTwilioSignature(request('https://parley.example/hook', docFields, signature), docToken),
    ).toBe(true);
    const other = signTwilio('https://parley.example/hook', docFields, docToken);
    expect(
      verifyTwilioSignature(request('https://parley.example:443/hook', docFields, other), docToken),
    ).toBe(true);
    expect(
      verifyTwilioSignature(
        request('https://parley.example:8443/hook', docFields, other),
        docToken,
      ),
    ).toBe(false);
  });

  it('signs decoded values: spaces posted as + and a literal + as %2B', () => {
    const fields: TwilioForm = [
      ['Body', 'Call me at +1 415 555 0100 & ask for Zoë 😀'],
      ['From', '+14155550100'],
    ];
    const url = 'https://parley.example/hook';
    const req = signedTwilioRequest(url, fields, docToken);
    expect(req.rawBody.toString()).toContain('Call+me+at+%2B1');
    expect(verifyTwilioSignature(req, docToken)).toBe(true);
  });

  it("signs a repeated field's values in posted order (and accepts them sorted by value)", () => {
    const url = 'https://parley.example/hook';
    const fields: TwilioForm = [
      ['MediaUrl', 'https://b.example/2'],
      ['Body', 'x'],
      ['MediaUrl', 'https://a.example/1'],
    ];
    const inOrder = signTwilio(url, fields, docToken);
    expect(verifyTwilioSignature(request(url, fields, inOrder), docToken)).toBe(true);
    const sortedValues: TwilioForm = [
      ['Body', 'x'],
      ['MediaUrl', 'https://a.example/1'],
      ['MediaUrl', 'https://b.example/2'],
    ];
    const bySortedValue = signTwilio(url, sortedValues, docToken);
    expect(verifyTwilioSignature(request(url, fields, bySortedValue), docToken)).toBe(true);
    // …but a value of another field moved under the repeated name is not the same request
    const moved = signTwilio(
      url,
      [['MediaUrl', 'x'], ...fields.filter(([k]) => k !== 'Body')],
      docToken,
    );
    expect(verifyTwilioSignature(request(url, fields, moved), docToken)).toBe(false);
  });

  it('does not read a JSON body as form fields', () => {
    const url = 'https://parley.example/hook';
    // No '+', '&' or '=': read as a form, this body would be one field named after it.
    const json = JSON.stringify({ MessageSid: 'SM1', Body: 'hello' });
    // Signed as if the JSON were an (empty-valued) form field: not Twilio's format.
    const signature = signTwilio(url, [[json, '']], docToken);
    const req: ProviderRequest = {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
      rawBody: Buffer.from(json),
    };
    expect(verifyTwilioSignature(req, docToken)).toBe(false);
  });

  it('accepts a JSON body only the way Twilio signs one: bodySHA256 in the signed URL', () => {
    const json = JSON.stringify({ MessageSid: 'SM1' });
    const hash = createHash('sha256').update(json).digest('hex');
    const url = `https://parley.example/hook?bodySHA256=${hash}`;
    const signature = signTwilio(url, [], docToken);
    const req = (body: string): ProviderRequest => ({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
      rawBody: Buffer.from(body),
    });
    expect(verifyTwilioSignature(req(json), docToken)).toBe(true);
    expect(verifyTwilioSignature(req(json.replace('SM1', 'SM2')), docToken)).toBe(false);
  });
});
