import { once } from 'node:events';
import WebSocket from 'ws';

/** An answer frame from the server, as tRPC writes it. */
export type RawAnswer = {
  id: number | string | null;
  result?: { type: string; data?: unknown };
  error?: { message: string; data?: { code?: string } };
};

export type RawSocket = AsyncDisposable & {
  ws: WebSocket;
  /** Every answer received so far (PING/PONG left out). */
  answers: RawAnswer[];
  /** Resolves with the close code once the socket is closed. */
  closed: Promise<number>;
  /** Sends one call, or several in one frame. */
  send(calls: object | object[]): void;
  /** Waits (up to `ms`) until `check` holds. */
  until(check: () => boolean, what: string, ms?: number): Promise<void>;
};

/**
 * A WebSocket speaking tRPC's wire format by hand: what a client that ignores the
 * rules (huge frames, never reading) would send. Signs in with `connectionParams`.
 */
export async function rawSocket(
  wsUrl: string,
  options: {
    token?: string;
    headers?: Record<string, string>;
    /** Keep no answers (a flood of them would cost the test process, not the server). */
    discard?: boolean;
  } = {},
): Promise<RawSocket> {
  const ws = new WebSocket(`${wsUrl}?connectionParams=1`, { headers: options.headers ?? {} });
  const answers: RawAnswer[] = [];
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  ws.on('error', () => {});
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    if (text === 'PING') return ws.send('PONG');
    if (text !== 'PONG' && !options.discard) answers.push(JSON.parse(text) as RawAnswer);
  });
  await once(ws, 'open');
  ws.send(
    JSON.stringify({
      method: 'connectionParams',
      data: options.token ? { token: options.token } : {},
    }),
  );
  return {
    ws,
    answers,
    closed,
    send: (calls) => ws.send(JSON.stringify(calls)),
    async until(check, what, ms = 10_000) {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async [Symbol.asyncDispose]() {
      ws.terminate();
      await closed;
    },
  };
}

/** A query call as tRPC's client writes it. */
export const queryCall = (id: number, path: string, input?: unknown) => ({
  id,
  jsonrpc: '2.0',
  method: 'query',
  params: { path, input },
});
