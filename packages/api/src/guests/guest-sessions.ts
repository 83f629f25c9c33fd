import { randomBytes } from 'node:crypto';
import { getActiveGuestSession, insertGuestSession, type DbOrTx, type Viewer } from '@parley/db';
import { hashToken } from '../auth/hashed-adapter';

/**
 * Guest sessions: a chat-widget visitor's token, kept in the chat frame's storage and
 * sent like a session token (`Authorization: Bearer`, `connectionParams.token`). Apart
 * from sign-in sessions: its own table (only the hash is stored), its own prefix (a
 * guest token never reaches the sign-in session lookup), its own, shorter, reach: a
 * guest sees only the tickets started from this session.
 */
export const guestTokenPrefix = 'guest_';
export const guestSessionDays = 30;

/** A guest as every check sees them: always a customer, scoped to their session. */
export type GuestViewer = Viewer & {
  role: 'customer';
  guestSessionId: string;
  email: string;
  widgetId: string;
  /** The widget's allowed origins: a cross-origin call must come from one of them. */
  allowedOrigins: string[];
  expiresAt: Date;
  /** The token this caller presented (in memory only: `widget.start` hands it back). */
  token: string;
};

export const isGuestToken = (token: string): boolean => token.startsWith(guestTokenPrefix);

/** Starts a guest session; returns the token (shown once, to the chat frame). */
export async function createGuestSession(
  db: DbOrTx,
  params: { userId: string; widgetId: string; verified: boolean },
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = `${guestTokenPrefix}${randomBytes(24).toString('base64url')}`;
  const id = hashToken(token);
  const expiresAt = new Date(Date.now() + guestSessionDays * 24 * 60 * 60 * 1000);
  await insertGuestSession(db, {
    id,
    userId: params.userId,
    widgetId: params.widgetId,
    verified: params.verified,
    expiresAt,
  });
  return { token, id, expiresAt };
}

/** The guest behind a token, or null (malformed, unknown, expired, widget disabled). */
export async function validateGuestToken(db: DbOrTx, token: string): Promise<GuestViewer | null> {
  if (!isGuestToken(token) || !/^guest_[A-Za-z0-9_-]{32}$/.test(token)) return null;
  const found = await getActiveGuestSession(db, { id: hashToken(token) });
  if (!found) return null;
  return toGuestViewer(found, token);
}

/** The same check by the stored id (a socket re-checks its guest on every call). */
export async function revalidateGuest(db: DbOrTx, guest: GuestViewer): Promise<GuestViewer | null> {
  const found = await getActiveGuestSession(db, { id: guest.guestSessionId });
  return found ? toGuestViewer(found, guest.token) : null;
}

function toGuestViewer(
  found: NonNullable<Awaited<ReturnType<typeof getActiveGuestSession>>>,
  token: string,
): GuestViewer {
  return {
    id: found.user.id,
    name: found.user.name,
    role: 'customer',
    guestSessionId: found.session.id,
    email: found.user.email,
    widgetId: found.widget.id,
    allowedOrigins: found.widget.allowedOrigins,
    expiresAt: found.session.expiresAt,
    token,
  };
}
