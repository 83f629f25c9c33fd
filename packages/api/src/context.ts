import { isDatabaseUnavailable, type Db } from '@parley/db';
import type { Auth, Session, SessionUser } from './auth/auth';
import type { UploadSettings } from './files/settings';
import type { FileStorage } from './files/storage';
import { isGuestToken, validateGuestToken, type GuestViewer } from './guests/guest-sessions';
import type { RateLimits } from './rate-limit';
import type { Channels } from './channels/channels';
import type { SecretBox } from './secrets';
import type { IpCountry } from './widgets/ip-country';
import type { Hub, SocketHandle } from './realtime/hub';

export type { SocketHandle } from './realtime/hub';

/** What lives as long as the server process and is shared by every request. */
export type Services = {
  db: Db;
  auth: Auth;
  hub: Hub;
  limits: RateLimits;
  /** Where uploaded files' bytes live. */
  files: FileStorage;
  uploads: UploadSettings;
  /** A chat visitor's country from their address (a local file, `PARLEY_GEOIP_CSV`), or null. */
  ipCountry: IpCountry;
  /** Seals the secrets Parley stores (webhook signing secrets) under the server's key. */
  secrets: SecretBox;
  /** WhatsApp and SMS: adapters for the channels set up, and their settings. */
  channels: Channels;
};

/**
 * The context of one call (HTTP) or one connection (WebSocket). Built by the server
 * from the request; tests build it directly with `createInnerContext`.
 */
export type Context = Services & {
  user: SessionUser | null;
  session: Session | null;
  /** A chat-widget visitor's guest session (never together with `user`). */
  guest: GuestViewer | null;
  /**
   * A token came but could not be checked (the database was unreachable): a call that
   * needs a session gets "unavailable, try again", not "sign in", which would sign the
   * person out of every open tab over a database restart.
   */
  sessionUnknown: boolean;
  /** Best-effort client address, for rate limits. */
  clientIp: string;
  /**
   * The request's `Origin` when a browser sent it from another site (neither Parley's
   * own origin nor a configured one): the widget's procedures check it against the
   * widget's allowed origins. Null for same-site requests and non-browser clients.
   */
  crossOrigin: string | null;
  /** The request's `User-Agent` (widget chats record it), cut to 512 characters. */
  userAgent: string | null;
  /** The device token the client sent (cookie `parley_device`): see auth/known-devices.ts. */
  deviceToken: string | null;
  /** Adds a Set-Cookie header to the HTTP response; a no-op over WebSocket. */
  setCookie: (cookie: string) => void;
  /** The socket this context belongs to, over WebSocket. */
  socket: SocketHandle | null;
};

export type ContextInput = {
  /** Session token from a cookie, a Bearer header or `connectionParams.token`. */
  token: string | null;
  clientIp?: string;
  crossOrigin?: string | null;
  userAgent?: string | null;
  /** From the `parley_device` cookie (`deviceTokenFromCookies`). */
  deviceToken?: string | null;
  setCookie?: (cookie: string) => void;
  socket?: SocketHandle | null;
};

/**
 * Resolves the session behind a token. Never throws: a malformed, unknown or
 * expired token yields an anonymous context, and so does an unreachable database,
 * flagged `sessionUnknown` (a throwing context makes WebSocket clients reconnect in a
 * tight loop, tRPC #4774).
 */
export async function createInnerContext(
  services: Services,
  input: ContextInput,
): Promise<Context> {
  let found: Awaited<ReturnType<Auth['validate']>> = null;
  let guest: GuestViewer | null = null;
  let sessionUnknown = false;
  if (input.token) {
    try {
      if (isGuestToken(input.token)) guest = await validateGuestToken(services.db, input.token);
      else found = await services.auth.validate(input.token);
    } catch (error) {
      sessionUnknown = isDatabaseUnavailable(error);
    }
  }
  const setCookie = input.setCookie ?? (() => {});
  if (found?.extended && input.token) setCookie(services.auth.sessionCookie(input.token));
  return {
    ...services,
    user: found?.user ?? null,
    session: found?.session ?? null,
    guest,
    sessionUnknown,
    clientIp: input.clientIp ?? 'unknown',
    crossOrigin: input.crossOrigin ?? null,
    userAgent: input.userAgent?.slice(0, 512) ?? null,
    deviceToken: input.deviceToken ?? null,
    setCookie,
    socket: input.socket ?? null,
  };
}
