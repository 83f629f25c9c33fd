import type { IncomingMessage } from 'node:http';

/**
 * Browsers send `Origin` on cross-site requests; a request from another site must not
 * be able to mutate or open a socket with the user's cookie. Requests without an
 * Origin (other apps, curl) are not browsers acting for someone else, and pass.
 */
export function isForeignOrigin(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] === 'cross-site';
  if (allowedOrigins.includes(origin)) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/** The request's `Origin` when it is another site's (see `Context.crossOrigin`), else null. */
export function crossOriginOf(
  req: IncomingMessage,
  allowedOrigins: readonly string[],
): string | null {
  const origin = req.headers.origin;
  if (origin === undefined || !isForeignOrigin(req, allowedOrigins)) return null;
  return origin;
}

/** Mutations must be JSON: forms and text/plain are what cross-site attacks can send. */
export function isJsonRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return type.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** A form upload (`attachments.upload` only). */
export function isMultipartRequest(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return type.split(';')[0]?.trim().toLowerCase() === 'multipart/form-data';
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** Plain-HTTP development on this machine: the only place cookies go without `Secure`. */
export function isLocalhost(req: IncomingMessage): boolean {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '::1';
}
