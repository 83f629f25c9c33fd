import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TRPCError } from '@trpc/server';
import {
  appRouter,
  createInnerContext,
  deviceTokenFromCookies,
  tooLargeMessage,
  type Services,
} from '@parley/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { pingDb } from '@parley/db';
import { errorFields, type Logger } from './log';
import { serveFile } from './files/download';
import { streamedForm } from './files/streamed-form';
import { pageHeadFor } from './page-head';
import {
  clientIp,
  crossOriginOf,
  isForeignOrigin,
  isJsonRequest,
  isLocalhost,
  isMultipartRequest,
} from './request-guards';
import { createStaticHandler } from './static-files';
import { serveUnsubscribe } from './unsubscribe-http';
import { createWidgetHttp } from './widget-http';
import { createChannelHttp } from './channel-http';
import { discardBody } from './discard-body';

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
/** The one procedure whose body is a file (multipart/form-data), not JSON. */
const uploadPath = '/trpc/attachments.upload';
/** A form's boundaries and headers around the file. */
const multipartOverheadBytes = 64 * 1024;

export function createRequestListener(options: HttpOptions): RequestListener {
  const { services, logger } = options;
  const contextFor = (req: IncomingMessage, res: ServerResponse) => {
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
  };
  const onError = ({ error, path }: { error: TRPCError; path: string | undefined }) => {
    if (error.code === 'INTERNAL_SERVER_ERROR') {
      logger.error('procedure failed', { path, ...errorFields(error.cause ?? error) });
    }
  };
  const trpc = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: options.maxBodyBytes,
    maxBatchSize: options.maxBatchSize,
    createContext: ({ req, res }) => contextFor(req, res),
    onError,
  });
  const maxUploadBody = services.uploads.maxBytes + multipartOverheadBytes;

  const serveStatic = options.webRoot
    ? createStaticHandler(options.webRoot, {
        headFor: (pathname) => pageHeadFor(services.db, pathname),
      })
    : null;
  const widgetHttp = createWidgetHttp({ db: services.db, webRoot: options.webRoot });
  const channelHttp = createChannelHttp(services, logger);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [path = '/', search = ''] = (req.url ?? '/').split('?');
    if (!isWellEncoded(path)) {
      sendJson(res, 400, { error: 'Malformed percent-encoding in the path' });
      return;
    }
    if (path === uploadPath && req.method === 'POST' && isMultipartRequest(req)) {
      await upload(req, res, path);
      return;
    }
    if (path.startsWith('/files/')) {
      await serveFile(services, req, res, path, new URLSearchParams(search));
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
        crossOrigin !== null ||
        (req.headers.origin === undefined && req.headers['sec-fetch-site'] === 'cross-site');
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
    if (channelHttp.handles(path)) {
      await channelHttp.serve(req, res, path, search);
      return;
    }
    if (path === '/unsubscribe') {
      await serveUnsubscribe(services.db, req, res, search);
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

  /**
   * `attachments.upload`: the only form body accepted. Forms are what a cross-site page
   * can post, so the request must come from Parley's or a configured origin, or — like
   * any widget procedure — from an origin an enabled widget allows (with CORS, and then
   * only its Bearer token counts, see `contextFor`); without an `Origin` it must carry a
   * Bearer token. A body declared larger than the limit is refused before it is read.
   */
  async function upload(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const fromPage = req.headers.origin !== undefined;
    const crossOrigin = crossOriginOf(req, options.allowedOrigins);
    const cors = crossOrigin !== null && (await widgetHttp.corsAllowed(crossOrigin, path));
    if (
      (isForeignOrigin(req, options.allowedOrigins) && !cors) ||
      (!fromPage && !req.headers.authorization)
    ) {
      sendJson(res, 403, { error: 'Cross-site uploads are refused' });
      return;
    }
    if (cors && crossOrigin) widgetHttp.corsHeaders(res, crossOrigin);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxUploadBody) {
      // Answered before the body is read. What the client sends meanwhile is discarded
      // (never kept), so it can read the answer; a client silent for a few seconds, or
      // still sending after a minute, is cut off (discard-body.ts).
      sendJson(res, 413, {
        error: {
          message: tooLargeMessage(services.uploads.maxBytes),
          code: -32413,
          data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, path: 'attachments.upload' },
        },
      });
      discardBody(req);
      return;
    }
    const form = streamedForm(
      req,
      new URL(req.url ?? '/', 'http://parley'),
      services.uploads.maxBytes,
    );
    res.once('close', () => void form.cleanup());
    const response = await fetchRequestHandler({
      endpoint: '/trpc',
      req: form.request,
      router: appRouter,
      createContext: () => contextFor(req, res),
      onError,
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
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
  const procedures = appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string } } | undefined
  >;
  return decodeURIComponent(path.slice('/trpc/'.length))
    .split(',')
    .some((name) => procedures[name]?._def.type === 'subscription');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
