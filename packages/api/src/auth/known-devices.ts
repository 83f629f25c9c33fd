import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Known devices: a browser or app that once signed in to an account gets a device
 * token, and presenting it later lets the right password through an account lockout
 * (the lockout is there against guessing from many addresses; the owner's own device
 * is not the one guessing).
 *
 * A token is a random nonce and its HMAC keyed with the account's password hash, so
 * nothing is stored, no one without the hash can make one, and a new password retires
 * every token made with the old one.
 */
export type DeviceAccount = { id: string; passwordHash: string };

export const deviceCookieName = 'parley_device';
const maxAgeSeconds = 365 * 24 * 60 * 60;

function mac(account: DeviceAccount, nonce: string): string {
  return createHmac('sha256', account.passwordHash)
    .update(`parley-device:${account.id}:${nonce}`)
    .digest('base64url');
}

export function issueDeviceToken(account: DeviceAccount): string {
  const nonce = randomBytes(18).toString('base64url');
  return `${nonce}.${mac(account, nonce)}`;
}

/** Whether `token` was issued to this device by a sign-in to `account` (with its current password). */
export function isKnownDevice(token: string | null | undefined, account: DeviceAccount): boolean {
  const [nonce, given, extra] = (token ?? '').split('.');
  if (!nonce || !given || extra !== undefined || token!.length > 200) return false;
  const expected = Buffer.from(mac(account, nonce));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The Set-Cookie value that keeps the device token for a year (HttpOnly; Secure is the HTTP layer's). */
export function deviceCookie(token: string): string {
  return `${deviceCookieName}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax`;
}

/** The device token in a Cookie header, or null. */
export function deviceTokenFromCookies(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === deviceCookieName) return value.join('=') || null;
  }
  return null;
}
