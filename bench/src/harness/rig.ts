import path from 'node:path';
import { nowMs } from './clock';
import { benchRoot, type BenchDatabase, type ScratchDatabase } from './database';
import { Fixtures } from './fixtures';
import type { ProcessSample } from './process-stats';
import type { Machine, Row, ScenarioResult } from './report';
import { CpuMeter, startParleyServer, startWorkers, startWsFloorServer, stopAll, type ParleyServer, type Worker, type WsFloorServer } from './workers';

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
  private readonly stoppers: Array<() => Promise<void>> = [];

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

  async parleyServer(): Promise<ParleyServer> {
    const server = await startParleyServer({
      databaseUrl: this.scratch.url,
      profileName: this.options.profile ? `${this.name}-server-${Date.now()}` : null,
      profileDir: path.join(this.options.resultsDir, 'profiles'),
    });
    this.stoppers.push(() => server.stop());
    return server;
  }

  async wsFloorServer(): Promise<WsFloorServer> {
    const server = await startWsFloorServer();
    this.stoppers.push(() => server.stop());
    return server;
  }

  /** Measures the cores each process uses while `work` runs, under `phase`. */
  async metered<T>(phase: string, peers: Array<{ name: string; call(method: 'sample', args: Record<string, never>): Promise<ProcessSample> }>, work: () => Promise<T>): Promise<T> {
    const meter = await CpuMeter.start([...peers, ...this.workers]);
    const result = await work();
    this.cpu[phase] = await meter.stop();
    return result;
  }

  problem(text: string): void {
    this.problems.push(text);
    this.log(`PROBLEM: ${text}`);
  }

  result(title: string, sizes: ScenarioResult['sizes'], rows: Row[], details: Record<string, unknown>): ScenarioResult {
    return {
      scenario: this.name,
      title,
      quick: this.options.quick,
      date: new Date().toISOString(),
      seconds: Math.round((nowMs() - this.started) / 1000),
      machine: this.options.machine,
      sizes,
      rows,
      details,
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
