import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a provider may fetch a file Parley sends (Twilio fetches within minutes). */
export const mediaLinkTtlSeconds = 24 * 60 * 60;

const linkKey = (secretKey: Buffer) =>
  createHmac('sha256', secretKey).update('parley channel file links v1').digest();

const signature = (secretKey: Buffer, id: string, expires: number) =>
  createHmac('sha256', linkKey(secretKey)).update(`${id}.${expires}`).digest('base64url');

/**
 * A public address of one file of a message sent to a contact, for the provider to fetch
 * (Twilio's MediaUrl): `/channel-files/:id/:expires/:signature/:name`, valid for a day.
 * Only the channel sender makes them, and only for files of public messages.
 */
export function signedMediaUrl(
  publicUrl: string,
  secretKey: Buffer,
  id: string,
  name: string,
  now = Date.now(),
): string {
  const expires = Math.floor(now / 1000) + mediaLinkTtlSeconds;
  return `${publicUrl}/channel-files/${id}/${expires}/${signature(secretKey, id, expires)}/${encodeURIComponent(name)}`;
}

/** The file id a `/channel-files/…` path names, when its signature holds and it has not expired. */
export function verifyMediaPath(secretKey: Buffer, path: string, now = Date.now()): string | null {
  const [, root, id, expiresText, given, name, ...rest] = path.split('/');
  if (
    root !== 'channel-files' ||
    !id ||
    !expiresText ||
    !given ||
    name === undefined ||
    rest.length
  ) {
    return null;
  }
  const expires = Number(expiresText);
  if (!Number.isSafeInteger(expires) || expires * 1000 < now) return null;
  const expected = Buffer.from(signature(secretKey, id, expires));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  return id;
}
