import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { nowMs } from './clock';
import { benchRoot, type BenchDatabase, type ScratchDatabase } from './database';
import { Fixtures } from './fixtures';
import type { QueryStat } from './query-stats';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './profile';
import type { Machine, Row, ScenarioResult } from './report';
import {
  CpuMeter,
  startParleyServer,
  type Sampled,
  startWorkers,
  startWsFloorServer,
  stopAll,
  type ParleyServer,
  type Worker,
  type WsFloorServer,
} from './workers';

export type RunOptions = {
  quick: boolean;
  /** Write a V8 CPU profile of the Parley server to results/profiles/. */
  profile: boolean;
  /** Keep the scratch databases after the run (to EXPLAIN queries by hand). */
  keep: boolean;
  database: BenchDatabase;
  machine: Machine;
  resultsDir: string;
  log: (line: string) => void;
};

export type Scenario = {
  name: string;
  title: string;
  /** Run only when named (`pnpm bench SOAK`) or in quick mode, not in a full `pnpm bench`. */
  optIn?: boolean;
  run(options: RunOptions): Promise<ScenarioResult>;
};

/**
 * What one scenario runs with: its own database, client workers, and on demand the
 * Parley server and the raw `ws` floor server, each in a process of its own. `close`
 * stops whatever was started, in reverse.
 */
export class Rig {
  readonly started = nowMs();
  readonly cpu: Record<string, Record<string, number>> = {};
  readonly problems: string[] = [];
  readonly notes: string[] = [];
  readonly profiles: Record<string, ProfileSummary & { file: string }> = {};
  /** The server's statements per Parley phase, by total time (see query-stats.ts). */
  readonly queries: Record<string, QueryStat[]> = {};
  private readonly stoppers: Array<() => Promise<void>> = [];
  private server: ParleyServer | null = null;

  private constructor(
    readonly name: string,
    readonly options: RunOptions,
    readonly scratch: ScratchDatabase,
    readonly workers: Worker[],
    readonly fixtures: Fixtures,
  ) {}

  static async open(name: string, options: RunOptions, workerCount: number): Promise<Rig> {
    const scratch = await options.database.scratch(name.toLowerCase());
    const workers = await startWorkers(workerCount);
    const rig = new Rig(name, options, scratch, workers, new Fixtures(scratch.url));
    rig.stoppers.push(async () => {
      await rig.fixtures.close();
      if (!options.keep) await scratch.drop();
    });
    rig.stoppers.push(() => stopAll(workers));
    return rig;
  }

  log(line: string): void {
    this.options.log(`[${this.name}] ${line}`);
  }

  async parleyServer(env: NodeJS.ProcessEnv = {}): Promise<ParleyServer> {
    const server = await startParleyServer(this.scratch.url, env);
    this.server = server;
    this.stoppers.push(() => server.stop());
    return server;
  }

  async wsFloorServer(): Promise<WsFloorServer> {
    const server = await startWsFloorServer();
    this.stoppers.push(() => server.stop());
    return server;
  }

  /**
   * Measures the cores each process uses while `work` runs, under `phase`; with
   * `--profile`, also a CPU profile of the Parley server during a Parley phase.
   */
  async metered<T>(phase: string, peers: Sampled[], work: () => Promise<T>): Promise<T> {
    const parley = phase.startsWith('parley') ? this.server : null;
    const server = this.options.profile ? parley : null;
    await parley?.call('queryStats', { top: 0, reset: true });
    if (server) await server.call('profileStart', undefined);
    const meter = await CpuMeter.start([...peers, ...this.workers]);
    const result = await work();
    this.cpu[phase] = await meter.stop();
    if (parley) this.queries[phase] = await parley.call('queryStats', { top: 12 });
    if (server) {
      const dir = path.join(
        this.options.resultsDir,
        this.options.quick ? 'quick/profiles' : 'profiles',
      );
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, `${this.name}-${phase.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
      await server.call('profileStop', { file });
      const summary = summarizeProfile(JSON.parse(await readFile(file, 'utf8')) as CpuProfile, 15);
      this.profiles[phase] = { ...summary, file: path.relative(this.options.resultsDir, file) };
      this.log(
        `profile of ${phase}: ${path.relative(process.cwd(), file)}\n  ${summary.self.slice(0, 8).join('\n  ')}`,
      );
    }
    return result;
  }

  problem(text: string): void {
    this.problems.push(text);
    this.log(`PROBLEM: ${text}`);
  }

  result(
    title: string,
    sizes: ScenarioResult['sizes'],
    rows: Row[],
    details: Record<string, unknown>,
  ): ScenarioResult {
    return {
      scenario: this.name,
      title,
      quick: this.options.quick,
      date: new Date().toISOString(),
      seconds: Math.round((nowMs() - this.started) / 1000),
      machine: this.options.machine,
      sizes,
      rows,
      details: {
        ...details,
        queries: this.queries,
        ...(Object.keys(this.profiles).length ? { profiles: this.profiles } : {}),
      },
      cpu: this.cpu,
      verification: { ok: this.problems.length === 0, problems: this.problems },
      notes: this.notes,
    };
  }

  async close(): Promise<void> {
    for (const stop of this.stoppers.reverse()) {
      await stop().catch((error: unknown) => this.log(`clean-up failed: ${String(error)}`));
    }
  }
}

export { benchRoot };
