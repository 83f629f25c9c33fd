import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderRequest } from '../adapter';
import { headerValue, isFormBody, readForm, type FormFields } from './form';

// Twilio's request signing (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
// base64(HMAC-SHA1(authToken, url + name1 + value1 + name2 + value2 …)) over the full URL
// Twilio called (query string included, as sent) and the POST fields sorted by name.

/** The string Twilio signs: the URL, then each field's name and value, sorted by name. */
function signedString(url: string, fields: FormFields): string {
  // Array.prototype.sort is stable: a repeated name keeps its values in posted order.
  // Names compare by UTF-16 code unit, the "case-sensitive Unix sort" of the docs.
  const sorted = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return url + sorted.map(([name, value]) => name + value).join('');
}

/** The HMAC-SHA1 digest of the signed string (the header is its base64). */
function twilioDigest(authToken: string, url: string, fields: FormFields): Buffer {
  return createHmac('sha1', authToken).update(signedString(url, fields), 'utf8').digest();
}

// A SHA-1 digest is 20 bytes: 27 base64 characters and one '='.
const base64Sha1 = /^[A-Za-z0-9+/]{27}=$/;

/**
 * The URL as Twilio may have signed it: as received, and with the scheme's default port
 * added or removed (Twilio's helper libraries accept both, since proxies differ on
 * whether `:443` survives).
 */
function urlVariants(url: string): string[] {
  const match = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url);
  if (!match) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const defaultPort = scheme.toLowerCase() === 'https' ? ':443' : ':80';
  const other = authority.endsWith(defaultPort)
    ? authority.slice(0, -defaultPort.length)
    : /:\d+$/.test(authority)
      ? null // another explicit port: only the URL as received
      : authority + defaultPort;
  return other === null ? [url] : [url, `${scheme}://${other}${rest}`];
}

/**
 * The field orders worth trying: as posted, and (when a name repeats) with each name's
 * values sorted, which is how Twilio's helper libraries order repeated values.
 */
function fieldOrders(fields: FormFields): FormFields[] {
  const names = fields.map(([name]) => name);
  if (new Set(names).size === names.length) return [fields];
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const byValue = [...fields].sort(([an, av], [bn, bv]) => compare(an, bn) || compare(av, bv));
  return [fields, byValue];
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether the request carries a valid `X-Twilio-Signature` made with `authToken`.
 * Form bodies (Twilio's messaging webhooks) are signed over the URL and their fields. A
 * body in any other format is only accepted the way Twilio signs JSON: the URL carries
 * `bodySHA256` (the hex SHA-256 of the raw body), and only the URL is signed. A missing
 * or malformed header is false.
 */
export function verifyTwilioSignature(request: ProviderRequest, authToken: string): boolean {
  const header = headerValue(request, 'x-twilio-signature')?.trim();
  if (!header || !base64Sha1.test(header)) return false;
  const given = Buffer.from(header, 'base64');
  let fieldSets: FormFields[];
  if (request.method.toUpperCase() !== 'POST') {
    fieldSets = [[]]; // a GET webhook's parameters are in the signed URL itself
  } else if (isFormBody(request)) {
    fieldSets = fieldOrders(readForm(request));
  } else {
    if (!bodyHashMatches(request)) return false;
    fieldSets = [[]];
  }
  let valid = false;
  for (const url of urlVariants(request.url)) {
    for (const fields of fieldSets) {
      // No early return: every candidate is computed, whichever matches.
      if (safeEqual(given, twilioDigest(authToken, url, fields))) valid = true;
    }
  }
  return valid;
}

/** For a non-form body: the URL's `bodySHA256` is the SHA-256 of the raw body. */
function bodyHashMatches(request: ProviderRequest): boolean {
  let claimed: string | null;
  try {
    claimed = new URL(request.url).searchParams.get('bodySHA256');
  } catch {
    return false;
  }
  if (!claimed || !/^[0-9a-f]{64}$/i.test(claimed)) return false;
  const actual = createHash('sha256').update(request.rawBody).digest();
  return safeEqual(Buffer.from(claimed.toLowerCase(), 'hex'), actual);
}
