/**
 * A Parley server in a process of its own, for benchmarks: the real `startServer`
 * (HTTP + WebSocket + realtime hub) on a free port, plus a bench-only IPC channel to
 * the parent for the process's own figures (CPU, RSS, event-loop delay). Nothing of
 * this is reachable over the network.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { startServer } from '../../../apps/server/src/app';
import { createLogger } from '../../../apps/server/src/log';
import { summarizeHeap } from './heap';
import { serveRpc } from './ipc';
import { installQueryStats } from './query-stats';
import { createEventLoopMonitor, sampleProcess } from './process-stats';

// Before the server's pool exists, so every query it sends is timed.
const queries = installQueryStats();

const databaseUrl = process.env.BENCH_DATABASE_URL;
if (!databaseUrl) throw new Error('BENCH_DATABASE_URL is not set');

// The public sign-in and send limits protect real users; a benchmark's few thousand
// synthetic users would only measure the limiter's refusals.
const generous = { max: 1_000_000_000, windowSeconds: 60 };
const server = await startServer({
  databaseUrl,
  secretKey: Buffer.alloc(32, 7), // the bench's own database: any fixed key
  port: 0,
  host: '127.0.0.1',
  webRoot: null,
  logger: createLogger({ silent: true }),
  poolSize: Number(process.env.BENCH_POOL_SIZE ?? 20),
  // B6 turns it off: on freshly seeded history its first pass closes thousands of old
  // resolved tickets, which would be measured along with the queries.
  ...(process.env.BENCH_AUTO_CLOSE === 'off' ? { autoClose: false as const } : {}),
  // B9: the delivery engine, sending to the bench's SMTP sink at once (no reply delay).
  ...(process.env.BENCH_NOTIFY_SMTP_URL
    ? {
        mail: { smtpUrl: process.env.BENCH_NOTIFY_SMTP_URL },
        notify: { replyDelaySeconds: 0, pollMs: 200 },
      }
    : {}),
  // The clients connect from a few loopback addresses, thousands of sockets each, and a
  // few synthetic agents stand for many tabs (B1: ~90 sockets per agent; B3: 50 inbox
  // subscriptions per agent). The caps themselves are tested in apps/server
  // (fan-out-fairness.int.test.ts); here they would only refuse the benchmark's clients.
  socketCaps: {
    perIp: 1_000_000,
    perUser: 1_000_000,
    perSession: 1_000_000,
    perUserStream: 1_000_000,
  },
  limits: {
    signInFailuresPerIpAndEmail: generous,
    signInFailuresPerAccount: generous,
    signInPerIp: generous,
    signUpPerIp: generous,
    ticketsPerUser: generous,
    messagesPerUser: generous,
  },
});
const loop = createEventLoopMonitor();
let profiler: Session | null = null;
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
  /** The statements the server sent since the last reset, by total time. */
  queryStats: (args: { top: number; reset?: boolean }) => {
    const top = queries.top(args.top);
    if (args.reset) queries.reset();
    return top;
  },
  /** The live heap by constructor (a full heap snapshot: slow, for `--profile` runs). */
  heapSummary: () => summarizeHeap(),
  /** Starts the V8 sampling profiler in this process (only the measured phase is profiled). */
  async profileStart() {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.post('Profiler.start');
  },
  /** Stops the profiler and writes the `.cpuprofile` to `file`. */
  async profileStop(args: { file: string }) {
    if (!profiler) throw new Error('the profiler is not running');
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = null;
    await writeFile(args.file, JSON.stringify(profile));
    return args.file;
  },
};

serveRpc(serverHandlers, () => server.close());
