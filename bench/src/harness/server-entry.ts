/**
 * A Parley server in a process of its own, for benchmarks: the real `startServer`
 * (HTTP + WebSocket + realtime hub) on a free port, plus a bench-only IPC channel to
 * the parent for the process's own figures (CPU, RSS, event-loop delay). Nothing of
 * this is reachable over the network.
 */
import { startServer } from '../../../apps/server/src/app';
import { createLogger } from '../../../apps/server/src/log';
import { serveRpc } from './ipc';
import { createEventLoopMonitor, sampleProcess } from './process-stats';

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set');

// The public sign-in and send limits protect real users; a benchmark's few thousand
// synthetic users would only measure the limiter's refusals.
const generous = { max: 1_000_000_000, windowSeconds: 60 };
const server = await startServer({
  databaseUrl,
  port: 0,
  host: '127.0.0.1',
  webRoot: null,
  logger: createLogger({ silent: true }),
  poolSize: Number(process.env.BENCH_POOL_SIZE ?? 20),
  limits: {
    signInPerEmail: generous,
    signInPerIp: generous,
    signUpPerIp: generous,
    ticketsPerUser: generous,
    messagesPerUser: generous,
  },
});
const loop = createEventLoopMonitor();
const gc = (globalThis as { gc?: () => void }).gc;

export const serverHandlers = {
  info: () => ({ port: server.port, url: server.url, pid: process.pid }),
  /** The process's figures; `collect` runs a full GC first (for RSS per connection). */
  sample: (args: { collect?: boolean; resetLoop?: boolean }) => {
    if (args.collect && gc) {
      gc();
      gc();
    }
    const sample = { ...sampleProcess(), eventLoop: loop.read() };
    if (args.resetLoop) loop.reset();
    return sample;
  },
};

serveRpc(serverHandlers, () => server.close());
