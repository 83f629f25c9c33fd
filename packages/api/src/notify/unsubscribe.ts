import { setPreference, signingKey, type Db } from '@parley/db';
import { readUnsubscribeToken, type UnsubscribeTarget } from './unsubscribe-token';

/**
 * Switches off what an email's unsubscribe link names (RFC 8058 one-click, or the
 * page's button). Null for a token that is not ours.
 */
export async function unsubscribe(db: Db, token: string): Promise<UnsubscribeTarget | null> {
  const target = readUnsubscribeToken(await signingKey(db, 'unsubscribe'), token);
  if (!target) return null;
  await setPreference(db, { ...target, enabled: false });
  return target;
}
