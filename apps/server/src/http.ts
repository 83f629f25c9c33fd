import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { appRouter, createInnerContext, deviceTokenFromCookies, type Services } from '@parley/api';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { pingDb } from '@parley/db';
import { errorFields, type Logger } from './log';
import { clientIp, crossOriginOf, isJsonRequest, isLocalhost } from './request-guards';
import { createStaticHandler } from './static-files';
import { createWidgetHttp } from './widget-http';

export type HttpOptions = {
  services: Services;
  logger: Logger;
  webRoot: string | null;
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Calls in one batched request (GET or POST). */
  maxBatchSize: number;
};

/** HTTP: tRPC at /trpc, GET /healthz, and the web app with SPA fallback. */
export function createRequestListener(options: HttpOptions): RequestListener {
  const { services, logger } = options;
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: options.maxBodyBytes,
    maxBatchSize: options.maxBatchSize,
    createContext: ({ req, res }) => {
      const crossOrigin = crossOriginOf(req, options.allowedOrigins);
      return createInnerContext(services, {
        // Another site's request (the widget's, with CORS) counts its Bearer token only,
        // never the cookie: no site can act with a signed-in person's session.
        token: services.auth.tokenFromHeaders(
          crossOrigin ? { authorization: req.headers.authorization } : req.headers,
        ),
        deviceToken: crossOrigin ? null : deviceTokenFromCookies(req.headers.cookie),
        clientIp: clientIp(req, options.trustProxy),
        crossOrigin,
        userAgent: req.headers['user-agent'] ?? null,
        setCookie: (cookie) =>
          res.appendHeader('set-cookie', isLocalhost(req) ? cookie : `${cookie}; Secure`),
      });
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error('procedure failed', { path, ...errorFields(error.cause ?? error) });
      }
    },
  });
  const serveStatic = options.webRoot ? createStaticHandler(options.webRoot) : null;
  const widgetHttp = createWidgetHttp({ db: services.db, webRoot: options.webRoot });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!isWellEncoded(path)) {
      sendJson(res, 400, { error: 'Malformed percent-encoding in the path' });
      return;
    }
    if (path === '/trpc' || path.startsWith('/trpc/')) {
      const crossOrigin = crossOriginOf(req, options.allowedOrigins);
      // CORS only for the widget's procedures, and only for origins a widget allows.
      const cors = crossOrigin !== null && (await widgetHttp.corsAllowed(crossOrigin, path));
      if (req.method === 'OPTIONS') {
        if (cors && crossOrigin) widgetHttp.preflight(res, crossOrigin);
        else sendJson(res, 403, { error: 'Cross-site requests are refused' });
        return;
      }
      if (cors && crossOrigin) widgetHttp.corsHeaders(res, crossOrigin);
      const foreign =
        crossOrigin !== null || (req.headers.origin === undefined && req.headers['sec-fetch-site'] === 'cross-site');
      if (req.method === 'POST' && ((foreign && !cors) || !isJsonRequest(req))) {
        sendJson(res, 403, { error: 'Cross-site or non-JSON requests are refused' });
        return;
      }
      if (isSubscriptionPath(path)) {
        res.setHeader('allow', '');
        sendJson(res, 405, {
          error: 'Subscriptions are served over WebSocket only (ws://…/trpc)',
          code: 'METHOD_NOT_SUPPORTED',
        });
        return;
      }
      trpc(req, res);
      return;
    }
    if (path === '/widget/frame' && (req.method === 'GET' || req.method === 'HEAD')) {
      await widgetHttp.serveFrame(req, res);
      return;
    }
    if (path === '/healthz') {
      const ok = await pingDb(services.db);
      sendJson(res, ok ? 200 : 503, { ok, database: ok ? 'reachable' : 'unreachable' });
      return;
    }
    if (serveStatic && (req.method === 'GET' || req.method === 'HEAD')) {
      await serveStatic(req, res);
      return;
    }
    sendJson(res, 404, { error: 'Not found' });
  }

  return (req, res) => {
    const started = performance.now();
    res.on('finish', () => {
      logger.debug('request', {
        method: req.method,
        // The path only: query strings carry procedure input.
        path: (req.url ?? '/').split('?')[0],
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    route(req, res).catch((error: unknown) => {
      logger.error('request failed', errorFields(error));
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal server error' });
      else res.destroy();
    });
  };
}

/** Whether a path decodes: `%zz` or a cut UTF-8 sequence must be a 400, not a 500. */
function isWellEncoded(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether any procedure a /trpc path names (batched: `a,b`) is a subscription. */
function isSubscriptionPath(path: string): boolean {
  // tRPC keeps every procedure in one flat record by dotted path.
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;
  return decodeURIComponent(path.slice('/trpc/'.length))
    .split(',')
    .some((name) => procedures[name]?._def.type === 'subscription');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
