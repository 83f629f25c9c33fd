import { ChildPeer } from './ipc';
import { coresUsed, machineBusyMs, sampleProcess, type ProcessSample } from './process-stats';
import type { WorkerHandlers } from './worker-entry';
import type { serverHandlers } from './server-entry';
import type { wsFloorServerHandlers } from '../floors/ws-server-entry';

export type Worker = ChildPeer<WorkerHandlers> & { index: number; localAddress: string };

/**
 * Client worker processes. Each connects from its own loopback address (127.0.0.2,
 * .3, …) so that tens of thousands of sockets do not run out of ephemeral ports.
 */
export async function startWorkers(count: number): Promise<Worker[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const peer = await ChildPeer.start<WorkerHandlers>(
        new URL('./worker-entry.ts', import.meta.url),
        {
          name: `client worker ${index + 1}`,
        },
      );
      return Object.assign(peer, { index, localAddress: `127.0.0.${index + 2}` });
    }),
  );
}

export async function stopAll(peers: ReadonlyArray<{ stop(): Promise<void> }>): Promise<void> {
  await Promise.all(peers.map((p) => p.stop()));
}

/** Splits `items` into `parts` nearly equal slices, in order. */
export function split<T>(items: readonly T[], parts: number): T[][] {
  const out: T[][] = Array.from({ length: parts }, () => []);
  items.forEach((item, i) => out[i % parts]?.push(item));
  return out;
}

export type ParleyServer = ChildPeer<typeof serverHandlers> & { url: string; wsUrl: string };

/** The Parley server in its own process (see server-entry.ts). */
export async function startParleyServer(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ParleyServer> {
  const peer = await ChildPeer.start<typeof serverHandlers>(
    new URL('./server-entry.ts', import.meta.url),
    {
      name: 'parley server',
      env: { ...env, BENCH_DATABASE_URL: databaseUrl },
      nodeFlags: ['--expose-gc'],
    },
  );
  const info = await peer.call('info', undefined);
  return Object.assign(peer, { url: info.url, wsUrl: `${info.url.replace(/^http/, 'ws')}/trpc` });
}

export type WsFloorServer = ChildPeer<typeof wsFloorServerHandlers> & {
  url: string;
  wsUrl: string;
};

/** The raw `ws` floor server in its own process. */
export async function startWsFloorServer(): Promise<WsFloorServer> {
  const peer = await ChildPeer.start<typeof wsFloorServerHandlers>(
    new URL('../floors/ws-server-entry.ts', import.meta.url),
    {
      name: 'raw ws floor server',
      nodeFlags: ['--expose-gc'],
    },
  );
  const info = await peer.call('info', undefined);
  return Object.assign(peer, { url: info.url, wsUrl: info.url.replace(/^http/, 'ws') });
}

export type Sampled = {
  name: string;
  call(method: 'sample', args: Record<string, never>): Promise<ProcessSample>;
};

/** CPU of every process of a measurement: what each used, in cores (1.0 = one core). */
export class CpuMeter {
  private constructor(
    private readonly peers: Sampled[],
    private readonly before: ProcessSample[],
    private readonly parentBefore: ProcessSample,
    private readonly machineBefore: number | null,
  ) {}

  static async start(peers: Sampled[]): Promise<CpuMeter> {
    const before = await Promise.all(peers.map((p) => p.call('sample', {})));
    return new CpuMeter(peers, before, sampleProcess(), machineBusyMs());
  }

  /**
   * Cores used since start, e.g. `{ "parley server": 0.93, "client worker 1": 0.31 }`;
   * `machine` is every process on the machine (PostgreSQL included, and whatever else
   * the shared machine was running).
   */
  async stop(): Promise<Record<string, number>> {
    const after = await Promise.all(this.peers.map((p) => p.call('sample', {})));
    const parentAfter = sampleProcess();
    const out: Record<string, number> = {};
    this.peers.forEach((p, i) => {
      out[p.name] = coresUsed(this.before[i] as ProcessSample, after[i] as ProcessSample);
    });
    out['bench parent'] = coresUsed(this.parentBefore, parentAfter);
    const machineAfter = machineBusyMs();
    if (this.machineBefore !== null && machineAfter !== null) {
      const wall = parentAfter.atMs - this.parentBefore.atMs;
      out.machine = Math.round(((machineAfter - this.machineBefore) / wall) * 100) / 100;
    }
    return out;
  }
}
