import type { Viewer } from '@parley/db';
import type { Services } from '../context';
import { isGuestToken, validateGuestToken } from '../guests/guest-sessions';

/**
 * Who asks for a file (`GET /files/…`): the signed-in user behind the session cookie or
 * `Authorization: Bearer`, or a chat-widget guest behind a guest token — from the
 * `Authorization` header only (the chat frame fetches files with it; a guest token is
 * never a cookie, nor in a URL). Null for anyone else.
 */
export async function fileViewer(
  services: Pick<Services, 'auth' | 'db'>,
  headers: { authorization?: string | undefined; cookie?: string | undefined },
): Promise<Viewer | null> {
  const bearer = services.auth.tokenFromHeaders({ authorization: headers.authorization });
  if (bearer && isGuestToken(bearer)) {
    const guest = await validateGuestToken(services.db, bearer);
    if (!guest) return null;
    return {
      id: guest.id,
      name: guest.name,
      role: 'customer',
      guestSessionId: guest.guestSessionId,
    };
  }
  const token = services.auth.tokenFromHeaders(headers);
  if (!token || isGuestToken(token)) return null;
  const found = await services.auth.validate(token);
  return found?.user ?? null;
}
