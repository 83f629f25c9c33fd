import type { AppRouter, RouterInputs, RouterOutputs } from '@parley/api';
import {
  createWSClient,
  httpBatchLink,
  httpLink,
  isNonJsonSerializable,
  splitLink,
  wsLink,
  type TRPCLink,
} from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';

/** Typed hooks for every procedure; types only come from the server package. */
export const trpc = createTRPCReact<AppRouter>();

export type { RouterInputs, RouterOutputs };

/**
 * Exponential backoff with jitter for socket reconnects: many clients dropped by one
 * server restart must not come back in lock-step.
 */
export function reconnectDelayMs(attempt: number): number {
  const ceiling = Math.min(500 * 2 ** attempt, 10_000);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/**
 * The socket for subscriptions. It opens on the first subscription (lazy) and carries
 * the session cookie of the moment it connects, so a new one is made whenever the
 * signed-in user changes.
 */
export function createSocket(hooks: { onOpen?: () => void; onClose?: () => void } = {}) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return createWSClient({
    url: `${scheme}://${location.host}/trpc`,
    lazy: { enabled: true, closeMs: 10_000 },
    keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
    retryDelayMs: reconnectDelayMs,
    ...hooks,
  });
}

export type Socket = ReturnType<typeof createSocket>;

/** Subscriptions over the socket; queries and mutations batched over HTTP with the cookie. */
export function createLinks(socket: Socket): TRPCLink<AppRouter>[] {
  return [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: wsLink<AppRouter>({ client: socket }),
      false: splitLink({
        // A FormData input (attachments.upload) goes alone: batches are JSON only. The
        // composer uploads with features/attachments/upload.ts instead, for progress.
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink({
          url: '/trpc',
          fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
        }),
        false: httpBatchLink({
          url: '/trpc',
          // The server answers a batch of more than 50 calls with 400 (README: Reliability limits).
          maxItems: 50,
          fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
        }),
      }),
    }),
  ];
}
