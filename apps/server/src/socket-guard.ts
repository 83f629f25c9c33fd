import type { IncomingMessage } from 'node:http';
import { appRouter } from '@parley/api';
import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import type { RawData, WebSocket } from 'ws';

/** What one WebSocket may ask of the server at a time (README: Reliability limits). */
export type SocketGuardLimits = {
  /**
   * Bytes written to the socket and not yet taken by the client. Checked before every
   * frame the server sends (answers, subscription items, pings): past it the client is
   * not reading, and the socket is dropped with 1013 instead of buffering without end.
   */
  maxBufferedBytes: number;
  /** Calls in one frame (tRPC batches everything queued in one tick into one frame). */
  maxBatchSize: number;
  /** Queries and mutations sent and not yet answered; subscriptions have their own cap. */
  maxInFlight: number;
};

/** What the guard needs from the server beyond the socket. */
export type SocketGuardHooks = {
  /** Resolves with the signed-in user's id once the connection's context exists (null: anonymous). */
  signedIn: Promise<string | null>;
  /**
   * Counts one more subscription of a user to one stream (same path and input) on this
   * process; null when the user holds the maximum. Returns the release function.
   */
  takeStream(key: string): (() => void) | null;
  /** The socket stopped reading: drop it. */
  onDrop(): void;
};

export const defaultSocketGuardLimits: SocketGuardLimits = {
  maxBufferedBytes: 4 * 1024 * 1024,
  maxBatchSize: 50,
  maxInFlight: 32,
};

type Listener = (data: RawData, isBinary: boolean) => void;
type Call = { id?: unknown; method?: unknown; params?: { path?: unknown; input?: unknown } };

/** Every answer tRPC sends starts with its id: `{"id":…,`. */
const answerId = /^\{"id":("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)[,}]/;
/** An answer that ends a subscription: an error, or `stopped`. */
const endsCall =
  /^\{"id":(?:"(?:[^"\\]|\\.)*"|[^,]+),(?:"jsonrpc":"2\.0",)?(?:"error"|"result":\{"type":"stopped")/;

/** One stream of one user: the subscription's path and input (without the resume cursor). */
function streamKey(userId: string, call: Call): string {
  const input = call.params?.input;
  const rest =
    typeof input === 'object' && input !== null
      ? Object.fromEntries(Object.entries(input).filter(([name]) => name !== 'lastEventId'))
      : input;
  return `${userId}\n${String(call.params?.path)}\n${JSON.stringify(rest ?? null)}`;
}

/**
 * Puts limits between a WebSocket and tRPC's connection handler: call `guard` after
 * tRPC attached its listeners. Incoming frames with too many calls, and calls past the
 * in-flight cap, are answered with an error here and never reach tRPC; outgoing frames
 * find the socket dropped once the client has stopped reading.
 */
export function guardSocket(
  ws: WebSocket,
  req: IncomingMessage,
  limits: SocketGuardLimits,
  hooks: SocketGuardHooks,
): void {
  const inFlight = new Set<string>();
  /** Open subscriptions by id, with the release of their per-user stream count. */
  const streams = new Map<string, () => void>();
  /** undefined until the connection's context exists. */
  let userId: string | null | undefined;
  // With `?connectionParams=1` the first frame is the connection params, not calls.
  let awaitingParams =
    new URL(req.url ?? '/', 'http://localhost').searchParams.get('connectionParams') === '1';
  let dropped = false;

  const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
  (ws as { send: (data: unknown, ...rest: unknown[]) => void }).send = (data, ...rest) => {
    if (dropped) return;
    if (ws.bufferedAmount > limits.maxBufferedBytes) {
      dropped = true;
      hooks.onDrop();
      return;
    }
    if (typeof data === 'string') {
      const id = answerId.exec(data)?.[1];
      if (id !== undefined) {
        inFlight.delete(id);
        const release = streams.get(id);
        if (release && endsCall.test(data)) {
          streams.delete(id);
          release();
        }
      }
    }
    send(data, ...rest);
  };

  const answerError = (call: Call, code: TRPCError['code'], message: string) => {
    const id = call.id;
    if (typeof id !== 'string' && typeof id !== 'number') return;
    const path = typeof call.params?.path === 'string' ? call.params.path : undefined;
    const type =
      call.method === 'query' || call.method === 'mutation' || call.method === 'subscription'
        ? call.method
        : 'unknown';
    ws.send(
      JSON.stringify({
        id,
        jsonrpc: '2.0',
        error: getErrorShape({
          config: appRouter._def._config,
          error: new TRPCError({ code, message }),
          type,
          path,
          input: undefined,
          ctx: undefined,
        }),
      }),
    );
  };

  const trpcListeners = ws.listeners('message') as Listener[];
  ws.removeAllListeners('message');
  const forward = (data: RawData, isBinary: boolean) => {
    for (const listener of trpcListeners) listener.call(ws, data, isBinary);
  };

  ws.once('close', () => {
    for (const release of streams.values()) release();
    streams.clear();
  });

  // Calls wait for the context (the user decides the stream caps); the connection
  // params that create it go through at once, and order is kept.
  let waiting: Array<[RawData, boolean]> | null = [];
  void hooks.signedIn.then(
    (id) => settle(id),
    () => settle(null),
  );
  const settle = (id: string | null) => {
    userId = id;
    const frames = waiting ?? [];
    waiting = null;
    for (const [data, isBinary] of frames) handle(data, isBinary);
  };

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (awaitingParams) {
      awaitingParams = false;
      return forward(data, isBinary);
    }
    if (waiting) waiting.push([data, isBinary]);
    else handle(data, isBinary);
  });

  function handle(data: RawData, isBinary: boolean): void {
    if (isBinary || !Buffer.isBuffer(data)) return forward(data, isBinary);
    const text = data.toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // PING/PONG, or garbage tRPC answers with a parse error.
      return forward(data, isBinary);
    }
    const calls: Call[] = (Array.isArray(parsed) ? parsed : [parsed]).filter(
      (call): call is Call => typeof call === 'object' && call !== null,
    );
    if (calls.length > limits.maxBatchSize) {
      for (const call of calls) {
        answerError(call, 'BAD_REQUEST', `At most ${limits.maxBatchSize} calls in one frame`);
      }
      return;
    }
    const admitted = calls.filter((call) => {
      if (call.method === 'subscription') return admitStream(call);
      if (call.method !== 'query' && call.method !== 'mutation') return true;
      const key = JSON.stringify(call.id);
      if (inFlight.size >= limits.maxInFlight || inFlight.has(key)) {
        answerError(
          call,
          'TOO_MANY_REQUESTS',
          `At most ${limits.maxInFlight} calls at a time on one connection`,
        );
        return false;
      }
      inFlight.add(key);
      return true;
    });
    if (admitted.length === calls.length) return forward(data, isBinary);
    if (admitted.length > 0) forward(Buffer.from(JSON.stringify(admitted)), false);
  }

  /** One user's subscriptions to one stream are capped: each is a copy of every event. */
  function admitStream(call: Call): boolean {
    const key = JSON.stringify(call.id);
    if (!userId || streams.has(key)) return true; // tRPC refuses these itself
    const release = hooks.takeStream(streamKey(userId, call));
    if (!release) {
      answerError(call, 'TOO_MANY_REQUESTS', 'Too many subscriptions to this stream');
      return false;
    }
    streams.set(key, release);
    return true;
  }
}
