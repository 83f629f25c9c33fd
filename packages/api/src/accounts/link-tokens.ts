import { randomBytes } from 'node:crypto';
import { hashToken } from '../auth/hashed-adapter';

/** How long an emailed link works. */
export const linkLifetimeMs = {
  password_reset: 30 * 60 * 1000,
  invite: 7 * 24 * 60 * 60 * 1000,
  sign_up: 24 * 60 * 60 * 1000,
} as const;

/** A new link token (256 random bits, URL-safe) and the hash that alone is stored. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}
