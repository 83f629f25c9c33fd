import type { AppRouter, EphemeralEvent, StreamEvent } from '@parley/api';
import { createTRPCClient, createWSClient, wsLink, type TRPCClient } from '@trpc/client';
import WebSocket from 'ws';

/**
 * Helpers for realtime tests over real WebSockets: a client that reports how its
 * socket closed, and a collector of what a subscription yields.
 */

export type RealtimeClient = AsyncDisposable & {
  client: TRPCClient<AppRouter>;
  ws: ReturnType<typeof createWSClient>;
  /** Close codes of every socket this client had, in order. */
  closes: number[];
};

/** A wsLink client that signs in with `connectionParams.token` and reconnects quickly. */
export function realtimeClient(
  wsUrl: string | (() => string),
  options: { token?: string; headers?: Record<string, string> } = {},
): RealtimeClient {
  const closes: number[] = [];
  const ws = createWSClient({
    url: wsUrl,
    WebSocket: class extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers: options.headers ?? {} });
      }
    } as unknown as typeof globalThis.WebSocket,
    ...(options.token ? { connectionParams: { token: options.token } } : {}),
    keepAlive: { enabled: true, intervalMs: 5000, pongTimeoutMs: 2000 },
    retryDelayMs: () => 50,
    onClose: (event) => closes.push(event?.code ?? 0),
  });
  return {
    ws,
    closes,
    client: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }),
    async [Symbol.asyncDispose]() {
      await ws.close();
    },
  };
}

type Tracked = { id: string; data: StreamEvent };
/** Every item is tracked with the stream's cursor; typing and presence are signals, never replayed. */
type Yielded = { id: string; data: StreamEvent | EphemeralEvent };
const isSignal = (data: StreamEvent | EphemeralEvent): data is EphemeralEvent =>
  data.type === 'typing' || data.type === 'presence';

/** Collects what a subscription yields; `until` waits (within the test's timeout) for a condition. */
export function collector() {
  const tracked: Tracked[] = [];
  const signals: EphemeralEvent[] = [];
  let error: unknown = null;
  let completed = false;
  let started = 0;
  let notify = () => {};
  const changed = () => notify();

  const self = {
    tracked,
    signals,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
    /** How many times the subscription was (re)started by the server. */
    get started() {
      return started;
    },
    handlers: {
      onStarted() {
        started++;
        changed();
      },
      // What the wire carries: JSON, typed here as the API declares it.
      onData(data: unknown) {
        const value = data as Yielded;
        if (isSignal(value.data)) signals.push(value.data);
        else tracked.push({ id: value.id, data: value.data });
        changed();
      },
      onError(cause: unknown) {
        error = cause;
        changed();
      },
      onComplete() {
        completed = true;
        changed();
      },
    },
    /** Logged events only (no ready/resync), in arrival order. */
    events() {
      return tracked.flatMap(({ data }) =>
        data.type === 'ready' || data.type === 'resync' ? [] : [data],
      );
    },
    /** Bodies of `message.created` events written by people (not system notices), in arrival order. */
    bodies() {
      return self.events().flatMap((e) => {
        if (e.type !== 'message.created') return [];
        const message = e.data as { body: string; author: { role: string } };
        return message.author.role === 'system' ? [] : [message.body];
      });
    },
    /**
     * Waits for `check` to hold; fails with what was received if nothing new arrives for
     * `ms` while it does not. The wait restarts with every delivery, so a stream that is
     * slow because the machine is busy is not mistaken for one that stopped (the test's
     * own timeout still bounds the whole wait).
     */
    async until(check: () => boolean, what = 'condition', ms = 15_000): Promise<void> {
      const received = () => tracked.length + signals.length;
      let seenCount = received();
      let deadline = Date.now() + ms;
      while (!check()) {
        if (error)
          throw new Error(`subscription failed while waiting for ${what}`, { cause: error });
        if (received() !== seenCount) {
          seenCount = received();
          deadline = Date.now() + ms;
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          const seen = [
            ...tracked.map((t) =>
              t.data.type === 'message.created' ? JSON.stringify(t.data.data) : t.data.type,
            ),
            ...signals.map((s) => s.type),
          ].join(', ');
          throw new Error(`gave up waiting for ${what}; received: ${seen || 'nothing'}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          notify = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
  };
  return self;
}
