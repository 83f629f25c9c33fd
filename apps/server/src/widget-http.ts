import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { enabledWidgetOrigins, getWidgetBySiteKey, type Db } from '@parley/db';

/**
 * The chat widget's HTTP side: CORS for the procedures the widget uses, answered only
 * for origins some enabled widget allows, and the chat frame, which only those
 * origins may frame (`frame-ancestors`).
 */

/** The procedures a widget (its loader, or a host's own code with a guest token) may call cross-origin. */
export const widgetCorsProcedures: ReadonlySet<string> = new Set([
  'widget.config',
  'widget.start',
  'attachments.upload',
  'messages.list',
  'messages.send',
  'messages.markRead',
  'tickets.byId',
  'tickets.close',
  'tickets.rate',
  'realtime.typing',
]);

/** The procedure paths a /trpc/ URL names (batched: `a,b`). */
export function proceduresOf(pathname: string): string[] {
  return decodeURIComponent(pathname.slice('/trpc/'.length)).split(',');
}

const originsTtlMs = 1000;

export function createWidgetHttp(options: { db: Db; webRoot: string | null }) {
  const { db } = options;
  let cached: { at: number; origins: Promise<Set<string>> } | null = null;

  /** Every origin an enabled widget allows (read at most once a second). */
  function allowedOrigins(): Promise<Set<string>> {
    const now = Date.now();
    if (!cached || now - cached.at > originsTtlMs) {
      const origins = enabledWidgetOrigins(db).then((list) => new Set(list));
      origins.catch(() => {
        cached = null;
      });
      cached = { at: now, origins };
    }
    return cached.origins;
  }

  return {
    /**
     * Whether a cross-origin call to `pathname` gets CORS: every procedure it names is
     * a widget procedure and `origin` is allowed by an enabled widget.
     */
    async corsAllowed(origin: string, pathname: string): Promise<boolean> {
      if (!proceduresOf(pathname).every((name) => widgetCorsProcedures.has(name))) return false;
      return (await allowedOrigins()).has(origin);
    },

    corsHeaders(res: ServerResponse, origin: string): void {
      // No credentials: a cross-origin widget call carries a guest token, never a cookie.
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    },

    preflight(res: ServerResponse, origin: string): void {
      res.writeHead(204, {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type, authorization, trpc-accept',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      res.end();
    },

    /** GET /widget/frame?site=KEY: the chat, framable only by the widget's allowed origins. */
    async serveFrame(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const siteKey = url.searchParams.get('site') ?? '';
      const widget =
        siteKey.length > 0 && siteKey.length <= 64
          ? await getWidgetBySiteKey(db, { siteKey })
          : undefined;
      if (!widget || !widget.enabled || widget.allowedOrigins.length === 0) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('This chat is not available.');
        return;
      }
      const html = options.webRoot
        ? await readFile(path.join(options.webRoot, 'widget.html')).catch(() => null)
        : null;
      if (!html) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The chat widget is not built. Run `pnpm build`.');
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': html.length,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'same-origin',
        'content-security-policy': [
          "default-src 'self'",
          "connect-src 'self' ws: wss:",
          // blob: the chat's files, fetched with the guest token (see chat-files.tsx).
          "img-src 'self' data: blob:",
          "style-src 'self' 'unsafe-inline'",
          `frame-ancestors ${widget.allowedOrigins.join(' ')}`,
        ].join('; '),
      });
      res.end(req.method === 'HEAD' ? undefined : html);
    },
  };
}
