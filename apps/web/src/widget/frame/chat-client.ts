import type { AppRouter, RouterInputs, RouterOutputs } from '@parley/api';
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  wsLink,
  type TRPCClient,
} from '@trpc/client';
import { reconnectDelayMs } from '../../trpc';

export type ChatTicket = RouterOutputs['tickets']['byId'];
export type ChatMessage = RouterOutputs['messages']['list']['items'][number];
export type ChatConfig = RouterOutputs['widget']['config'];
export type StartInput = RouterInputs['widget']['start'];

/**
 * The chat frame's tRPC client: the same router types as the web app, authenticated by
 * the guest token it is made with (never a cookie: the frame is a third party on the host's page), over
 * HTTP as `Authorization: Bearer` and over the socket as `connectionParams.token`.
 */
export function createChatClient(token: string | null) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = createWSClient({
    url: `${scheme}://${location.host}/trpc`,
    lazy: { enabled: true, closeMs: 10_000 },
    keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
    retryDelayMs: reconnectDelayMs,
    connectionParams: token ? { token } : {},
  });
  const client: TRPCClient<AppRouter> = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink<AppRouter>({ client: socket }),
        false: httpBatchLink({
          url: '/trpc',
          maxItems: 50,
          headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
          fetch: (input, init) => fetch(input, { ...init, credentials: 'omit' }),
        }),
      }),
    ],
  });
  return { client, socket, token };
}

export type ChatClient = ReturnType<typeof createChatClient>['client'];

/** The field errors a refused `widget.start` carries, by field. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const data = (error as { data?: { fieldErrors?: Record<string, string[]> } } | null)?.data;
  return data?.fieldErrors ?? {};
}

export function errorCodeOf(error: unknown): string | undefined {
  return (error as { data?: { code?: string } } | null)?.data?.code;
}
