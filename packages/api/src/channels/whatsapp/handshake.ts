import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`
 * is answered with the challenge when the token is the configured one, else null (403).
 */
export function answerHandshake(url: URL, verifyToken: string): string | null {
  const mode = url.searchParams.get('hub.mode');
  const token = url.searchParams.get('hub.verify_token');
  const challenge = url.searchParams.get('hub.challenge');
  if (mode !== 'subscribe' || token === null || !challenge || !verifyToken) return null;
  return sameSecret(token, verifyToken) ? challenge : null;
}

// Hashing first gives equal lengths, so the comparison takes the same time for any guess.
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
