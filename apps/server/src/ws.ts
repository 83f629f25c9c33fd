import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  appRouter,
  createInnerContext,
  notePrefix,
  type Services,
  type Session,
  type SessionUser,
  type SocketHandle,
} from '@parley/api';
import { TRPCError } from '@trpc/server';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { errorFields, type Logger } from './log';
import { clientIp, crossOriginOf, isForeignOrigin } from './request-guards';
import {
  capCloseCodes,
  defaultSocketCapLimits,
  SocketCaps,
  type SocketCapLimits,
} from './socket-caps';
import { defaultSocketGuardLimits, guardSocket, type SocketGuardLimits } from './socket-guard';

export type WsOptions = {
  services: Services;
  logger: Logger;
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  /** Largest accepted frame, in bytes. */
  maxPayloadBytes: number;
  /** Per-socket limits: bytes buffered, calls per frame, calls in flight. */
  guard?: Partial<SocketGuardLimits>;
  /** Sockets per IP, user and session; the anonymous grace period. */
  caps?: Partial<SocketCapLimits>;
};

/** Reads `connectionParams.token` defensively: it is whatever the client sent. */
function tokenFromConnectionParams(params: unknown): string | null {
  if (typeof params !== 'object' || params === null) return null;
  const token = (params as Record<string, unknown>).token;
  return typeof token === 'string' && token.length <= 256 ? token : null;
}

/** tRPC's typings leave the connection's socket untyped: narrow it. */
function socketOf(value: unknown): WebSocket | null {
  return value instanceof WebSocket ? value : null;
}

/**
 * Closes a socket and, should the client not answer the close handshake (it stopped
 * reading), drops the connection a moment later so its buffers are freed.
 */
function closeSocket(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === WebSocket.CLOSED) return;
  ws.close(code, reason);
  setTimeout(() => {
    if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  }, 1000).unref();
}

/** TCP sockets whose writes wait for the end of this turn of the event loop. */
const held = new Set<Duplex>();
const releaseHeld = () => {
  for (const raw of held) raw.uncork();
  held.clear();
};

/**
 * Corks the connection under `ws` until the end of this turn (`setImmediate` runs after
 * the promise chains that write the frames of the events handed out now). ws's own
 * cork around each frame nests inside it.
 */
function holdWrites(ws: WebSocket): void {
  const raw = (ws as unknown as { _socket?: Duplex })._socket;
  if (!raw || ws.readyState !== WebSocket.OPEN || held.has(raw)) return;
  if (held.size === 0) setImmediate(releaseHeld);
  held.add(raw);
  raw.cork();
}

/**
 * The API's view of a connection: backpressure, batched writes and closing, nothing else.
 * A class, not closures: one is kept per socket.
 */
class WsHandle implements SocketHandle {
  constructor(private readonly ws: WebSocket) {}
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
  holdWrites(): void {
    holdWrites(this.ws);
  }
  send(frame: string): void {
    this.ws.send(frame);
  }
  close(code = 1000, reason = ''): void {
    closeSocket(this.ws, code, reason);
  }
}

/** tRPC over WebSocket on the HTTP server's port: upgrades at /trpc only, same-origin only. */
export function attachWebSockets(server: Server, options: WsOptions) {
  const { services, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const caps = new SocketCaps({ ...defaultSocketCapLimits, ...options.caps });
  const guardLimits = { ...defaultSocketGuardLimits, ...options.guard };
  const signedIn = new WeakSet<WebSocket>();
  /** Resolves a socket's `signedIn` promise for its guard once its context exists. */
  const contextReady = new WeakMap<WebSocket, (userId: string | null) => void>();
  /** Sockets whose sign-in the server is checking right now. */
  const checking = new WeakSet<WebSocket>();

  /** Closes the socket when its session ends anywhere (sign-out, disable, role change) or expires. */
  const trackUntilClosed = (ws: WebSocket, user: SessionUser, session: Session) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    const untrack = services.hub.trackSocket({
      token: session.id,
      userId: user.id,
      role: user.role,
      expiresAt: session.expiresAt,
      close: (code, reason) => closeSocket(ws, code, reason),
    });
    ws.once('close', untrack);
  };

  const onConnection = getWSConnectionHandler({
    wss,
    router: appRouter,
    // tRPC's JSON encoding, noting each subscription's frame prefix on the way (live
    // events are then written beside tRPC's pipeline: direct-frames.ts in @parley/api).
    experimental_encoder: {
      encode: (message) => {
        notePrefix(message);
        return JSON.stringify(message);
      },
      decode: (data) => {
        if (typeof data !== 'string') throw new Error('Binary frames are not tRPC calls');
        return JSON.parse(data) as unknown;
      },
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 10_000 },
    createContext: async ({ req, res, info }) => {
      const ws = socketOf(res);
      let userId: string | null = null;
      if (ws) checking.add(ws);
      try {
        const ctx = await createContext(ws, req, info.connectionParams);
        userId = ctx.user?.id ?? (ctx.guest ? `guest:${ctx.guest.guestSessionId}` : null);
        return ctx;
      } finally {
        if (ws) {
          checking.delete(ws);
          contextReady.get(ws)?.(userId);
        }
      }
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error('socket procedure failed', { path, ...errorFields(error.cause ?? error) });
      }
    },
  });

  async function createContext(
    ws: WebSocket | null,
    req: IncomingMessage,
    connectionParams: unknown,
  ) {
    const ctx = await createInnerContext(services, {
      token:
        tokenFromConnectionParams(connectionParams) ??
        services.auth.tokenFromHeaders({ cookie: req.headers.cookie }),
      clientIp: clientIp(req, options.trustProxy),
      crossOrigin: crossOriginOf(req, options.allowedOrigins),
      userAgent: req.headers['user-agent'] ?? null,
      socket: ws ? new WsHandle(ws) : null,
    });
    if (ws && ctx.guest) {
      // A chat-widget guest: capped like a session, and closed when the guest session
      // expires (each call re-checks it too, so an ended session answers nothing more).
      const guestKey = `guest:${ctx.guest.guestSessionId}`;
      const release = caps.takeSignedIn(guestKey, guestKey);
      if (!release) {
        closeSocket(ws, capCloseCodes.tooManySockets, 'Too many sockets');
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many open connections' });
      }
      ws.once('close', release);
      signedIn.add(ws);
      const untilExpiry = Math.min(ctx.guest.expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
      const expiry = setTimeout(() => closeSocket(ws, 4401, 'Chat session ended'), untilExpiry);
      expiry.unref();
      ws.once('close', () => clearTimeout(expiry));
    }
    if (ws && ctx.user && ctx.session) {
      const release = caps.takeSignedIn(ctx.user.id, ctx.session.id);
      if (!release) {
        closeSocket(ws, capCloseCodes.tooManySockets, 'Too many sockets');
        throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Too many open connections' });
      }
      ws.once('close', release);
      signedIn.add(ws);
      trackUntilClosed(ws, ctx.user, ctx.session);
    }
    // The session could not be checked (database unreachable): this connection's calls
    // answer "unavailable". Closing it a moment later makes the client reconnect and
    // sign in afresh once the database is back (1013: try again later).
    if (ws && ctx.sessionUnknown) {
      setTimeout(() => closeSocket(ws, 1013, 'Try again later'), 1000).unref();
    }
    return ctx;
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    const refuse = (status: number, reason: string) => {
      logger.info('upgrade refused', { path, status, reason });
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (path !== '/trpc') return refuse(404, 'Not Found');
    // Parley's own pages only: the chat widget's frame is served from Parley's origin.
    if (isForeignOrigin(req, options.allowedOrigins)) return refuse(403, 'Forbidden');
    const ip = clientIp(req, options.trustProxy);
    // Counted once the handshake succeeds (a failed one never calls back); checked now too.
    if (!caps.ipHasRoom(ip)) return refuse(429, 'Too Many Requests');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const release = caps.takeIp(ip);
      if (!release) return closeSocket(ws, capCloseCodes.tooManySockets, 'Too many sockets');
      ws.once('close', release);
      wss.emit('connection', ws, req);
    });
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const signedInAs = new Promise<string | null>((resolve) => contextReady.set(ws, resolve));
    onConnection(ws, req);
    guardSocket(ws, req, guardLimits, {
      signedIn: signedInAs,
      takeStream: (key) => caps.takeStream(key),
      onDrop: () => {
        logger.warn('socket dropped: not reading its answers', {
          bufferedBytes: ws.bufferedAmount,
        });
        closeSocket(ws, 1013, 'Not reading: reconnect later');
      },
    });
    const grace = setTimeout(() => {
      const decide = () => {
        if (!signedIn.has(ws)) closeSocket(ws, capCloseCodes.signInRequired, 'Sign in first');
      };
      // A sign-in the server is still checking (a busy server, a slow database) is waited
      // for: the client did sign in within the grace period.
      if (checking.has(ws)) void signedInAs.then(decide);
      else decide();
    }, caps.limits.anonymousGraceMs);
    grace.unref();
    ws.once('close', () => clearTimeout(grace));
  });

  return {
    wss,
    /** Tells every client to reconnect (elsewhere), then closes the sockets. */
    async close(): Promise<void> {
      const reconnect = JSON.stringify({ id: null, method: 'reconnect' });
      for (const client of wss.clients) {
        if (client.readyState === WebSocket.OPEN) client.send(reconnect);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const client of wss.clients) client.close(1012, 'Server restarting');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
