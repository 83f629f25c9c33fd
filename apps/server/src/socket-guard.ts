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

export const defaultSocketGuardLimits: SocketGuardLimits = {
  maxBufferedBytes: 4 * 1024 * 1024,
  maxBatchSize: 50,
  maxInFlight: 32,
};

type Listener = (data: RawData, isBinary: boolean) => void;
type Call = { id?: unknown; method?: unknown; params?: { path?: unknown } };

/** Every answer tRPC sends starts with its id: `{"id":…,`. */
const answerId = /^\{"id":("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)[,}]/;

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
  onDrop: (ws: WebSocket) => void,
): void {
  const inFlight = new Set<string>();
  // With `?connectionParams=1` the first frame is the connection params, not calls.
  let awaitingParams = new URL(req.url ?? '/', 'http://localhost').searchParams.get('connectionParams') === '1';
  let dropped = false;

  const send = ws.send.bind(ws) as (data: unknown, ...rest: unknown[]) => void;
  (ws as { send: (data: unknown, ...rest: unknown[]) => void }).send = (data, ...rest) => {
    if (dropped) return;
    if (ws.bufferedAmount > limits.maxBufferedBytes) {
      dropped = true;
      onDrop(ws);
      return;
    }
    if (typeof data === 'string') {
      const id = answerId.exec(data)?.[1];
      if (id !== undefined) inFlight.delete(id);
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

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary || awaitingParams || !Buffer.isBuffer(data)) {
      awaitingParams = false;
      return forward(data, isBinary);
    }
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
  });
}
