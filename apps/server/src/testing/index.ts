import type { AppRouter, RateLimits } from '@parley/api';
import { procedureType, testSecretKey, type ProcedureCall } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpLink,
  isNonJsonSerializable,
  splitLink,
  wsLink,
  type TRPCClient,
} from '@trpc/client';
import WebSocket from 'ws';
import { startServer, type RunningServer, type ServerOptions } from '../app';
import { createLogger } from '../log';

export type TestServer = AsyncDisposable & {
  server: RunningServer;
  database: TestDatabase;
  url: string;
  wsUrl: string;
};

/**
 * A real server on a free port over a fresh database of its own:
 * `await using t = await startTestServer()`.
 */
export async function startTestServer(
  options: { limits?: Partial<RateLimits>; database?: TestDatabase } & Partial<ServerOptions> = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const server = await startServer({
    databaseUrl: database.url,
    port: 0,
    logger: createLogger({ silent: true }),
    secretKey: testSecretKey,
    ...options,
    limits: {
      signUpPerIp: { max: 1000, windowSeconds: 60 },
      signInPerIp: { max: 1000, windowSeconds: 60 },
      ...options.limits,
    },
  });
  return {
    server,
    database,
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws') + '/trpc',
    async [Symbol.asyncDispose]() {
      await server.close();
      if (!options.database) await database[Symbol.asyncDispose]();
    },
  };
}

/** A typed HTTP client; `token` goes in `Authorization: Bearer`. */
export function httpClient(
  url: string,
  auth: { token?: string; cookie?: string; headers?: Record<string, string> } = {},
): TRPCClient<AppRouter> {
  const headers = () => ({
    ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
    ...(auth.cookie ? { cookie: auth.cookie } : {}),
    ...auth.headers,
  });
  return createTRPCClient<AppRouter>({
    links: [
      // Uploads (FormData) go alone over httpLink; everything else is batched.
      splitLink({
        condition: (op) => isNonJsonSerializable(op.input),
        true: httpLink({ url: `${url}/trpc`, headers }),
        false: httpBatchLink({ url: `${url}/trpc`, maxItems: 50, headers }),
      }),
    ],
  });
}

export type TestWsClient = AsyncDisposable & {
  client: TRPCClient<AppRouter>;
  ws: ReturnType<typeof createWSClient>;
};

/** A typed WebSocket client; `token` goes in `connectionParams`. */
export function wsClient(
  wsUrl: string,
  auth: { token?: string; headers?: Record<string, string> } = {},
): TestWsClient {
  const ws = createWSClient({
    url: wsUrl,
    WebSocket: class extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers: auth.headers ?? {} });
      }
    } as unknown as typeof globalThis.WebSocket,
    ...(auth.token ? { connectionParams: { token: auth.token } } : {}),
    retryDelayMs: () => 100,
  });
  return {
    ws,
    client: createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] }),
    async [Symbol.asyncDispose]() {
      await ws.close();
    },
  };
}
export { startChildServer, type ChildServer } from './child-server';
export {
  linkIn,
  mailBody,
  mailsTo,
  startSmtpInbox,
  type ReceivedMail,
  type SmtpInbox,
} from './smtp-inbox';
export {
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
} from './webhook-receiver';

/**
 * Calls procedures by path ("tickets.byId", "help.articles.list") through a typed client,
 * HTTP or WebSocket.
 */
export function pathCall(client: TRPCClient<AppRouter>): ProcedureCall {
  return (path, input) => {
    // The client is a proxy: every property exists, so walk the path and check the router instead.
    let node: unknown = client;
    for (const part of path.split('.')) node = (node as Record<string, unknown>)[part];
    const method = procedureType(path) === 'query' ? 'query' : 'mutate';
    const call = (node as Record<string, ((i: unknown) => Promise<unknown>) | undefined>)[method];
    if (!call) throw new Error(`no procedure ${path}`);
    return call(input);
  };
}
