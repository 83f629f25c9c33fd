import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { email, text } from '../validation';

/**
 * Identity verification (as Intercom's): a host app that knows who its signed-in
 * visitor is passes `data-user-token` to the loader, so the chat opens without the
 * pre-chat form. The token is `<payload>.<signature>`:
 *
 *   payload   = base64url(JSON.stringify({ email, name?, phone?, exp? }))   exp: Unix seconds
 *   signature = base64url(HMAC-SHA256(widget secret, payload))
 *
 * made on the host's server (the secret never reaches a browser).
 */
const claims = z.object({
  email,
  name: text(1, 100).optional(),
  phone: z.string().max(40).optional(),
  exp: z.number().int().positive().optional(),
});

export type IdentityClaims = z.infer<typeof claims>;

export function signIdentityToken(secret: string, payload: IdentityClaims): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The claims of a well-signed, unexpired token, else null. */
export function verifyIdentityToken(
  secret: string,
  token: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): IdentityClaims | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const result = claims.safeParse(parsed);
  if (!result.success) return null;
  if (result.data.exp !== undefined && result.data.exp <= nowSeconds) return null;
  return result.data;
}
