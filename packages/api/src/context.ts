import type { Db } from '@parley/db';
import type { Auth, Session, SessionUser } from './auth/auth';
import type { RateLimits } from './rate-limit';
import type { Hub } from './realtime/hub';

/** What lives as long as the server process and is shared by every request. */
export type Services = {
  db: Db;
  auth: Auth;
  hub: Hub;
  limits: RateLimits;
};

/** The minimal view of a WebSocket the API needs (backpressure and closing). */
export type SocketHandle = { readonly bufferedAmount: number; close(code?: number, reason?: string): void };

/**
 * The context of one call (HTTP) or one connection (WebSocket). Built by the server
 * from the request; tests build it directly with `createInnerContext`.
 */
export type Context = Services & {
  user: SessionUser | null;
  session: Session | null;
  /** Best-effort client address, for rate limits. */
  clientIp: string;
  /** Adds a Set-Cookie header to the HTTP response; a no-op over WebSocket. */
  setCookie: (cookie: string) => void;
  /** The socket this context belongs to, over WebSocket. */
  socket: SocketHandle | null;
};

export type ContextInput = {
  /** Session token from a cookie, a Bearer header or `connectionParams.token`. */
  token: string | null;
  clientIp?: string;
  setCookie?: (cookie: string) => void;
  socket?: SocketHandle | null;
};

/**
 * Resolves the session behind a token. Never throws: a malformed, unknown or
 * expired token, or a database hiccup, yields an anonymous context (a throwing
 * context makes WebSocket clients reconnect in a tight loop, tRPC #4774).
 */
export async function createInnerContext(services: Services, input: ContextInput): Promise<Context> {
  let found: Awaited<ReturnType<Auth['validate']>> = null;
  if (input.token) {
    try {
      found = await services.auth.validate(input.token);
    } catch {
      found = null;
    }
  }
  const setCookie = input.setCookie ?? (() => {});
  if (found?.extended && input.token) setCookie(services.auth.sessionCookie(input.token));
  return {
    ...services,
    user: found?.user ?? null,
    session: found?.session ?? null,
    clientIp: input.clientIp ?? 'unknown',
    setCookie,
    socket: input.socket ?? null,
  };
}
