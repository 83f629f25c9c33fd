import { EventEmitter } from 'node:events';
import {
  run,
  type Logger,
  type Runner,
  type RunnerOptions,
  type TaskList,
  type WorkerEvents,
  type WorkerUtils,
} from 'graphile-worker';
import { isDatabaseUnavailable, type Db } from '@parley/db';
import type { JobInstance } from './dead-workers';

export type JobWorkersOptions = {
  /** The job queue's pool (made by `createDb`, named for this process). */
  jobsDb: Db;
  utils: WorkerUtils;
  instance: JobInstance;
  concurrency: number;
  pollMs: number;
  taskList: TaskList;
  logger: Logger;
  onError: (message: string, error: unknown) => void;
};

/** How long a stop waits for one runner before leaving it (its jobs are unlocked later). */
const stopWaitMs = 10_000;
const maxRetryMs = 5_000;

/**
 * The job workers of one process: one graphile-worker runner per worker, each with a
 * worker id of ours (`parley:<instance>:<n>`; graphile-worker takes a chosen id only at
 * concurrency 1).
 *
 * graphile-worker 0.16 ends a worker for good when it cannot record the end of a job (the
 * database went away mid-job: a restart, a failover) and never starts another, so the
 * process would stop delivering with its job locked for hours. Here each worker that
 * ends by itself is replaced: its job is unlocked once the database answers again (it
 * runs again; the email and webhook tasks are idempotent), and a new runner takes its
 * place under a new id.
 */
export class JobWorkers {
  private readonly runners = new Map<number, Runner>();
  private readonly replacing = new Set<Promise<void>>();
  private generation = 0;
  private stopping = false;
  private wakeOnStop: (() => void) | undefined;
  private readonly stopped = new Promise<void>((resolve) => (this.wakeOnStop = resolve));

  constructor(private readonly options: JobWorkersOptions) {}

  async start(): Promise<void> {
    try {
      for (let n = 1; n <= this.options.concurrency; n++) {
        this.runners.set(n, await this.startRunner(n, this.options.instance.workerId(n)));
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops every runner (each waits for its job in progress) and any replacement. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeOnStop?.();
    await Promise.allSettled([...this.replacing]);
    // Side by side: with the database gone each may wait its full 10 s.
    await Promise.all([...this.runners.values()].map((runner) => stopRunner(runner)));
    this.runners.clear();
  }

  private async startRunner(n: number, workerId: string): Promise<Runner> {
    const events: WorkerEvents = new EventEmitter();
    events.on('worker:stop', ({ error }) => {
      if (error === undefined || this.stopping) return;
      const replacement = this.replace(n, workerId, error).finally(() =>
        this.replacing.delete(replacement),
      );
      this.replacing.add(replacement);
    });
    const runnerOptions: RunnerOptions & { workerId: string } = {
      pgPool: this.options.jobsDb.$client,
      concurrency: 1,
      workerId,
      pollInterval: this.options.pollMs,
      noHandleSignals: true, // the server's shutdown stops us
      taskList: this.options.taskList,
      logger: this.options.logger,
      events,
    };
    return run(runnerOptions);
  }

  private async replace(n: number, deadWorkerId: string, cause: unknown): Promise<void> {
    const { onError, utils, instance } = this.options;
    onError(`job worker ${deadWorkerId} stopped; starting another in its place`, cause);
    const dead = this.runners.get(n);
    this.runners.delete(n);
    if (dead) void stopRunner(dead).catch(() => {}); // a pool without workers: nothing to wait for
    await this.retry(`unlocking the job of worker ${deadWorkerId}`, async () => {
      await utils.forceUnlockWorkers([deadWorkerId]);
    });
    const workerId = `${instance.workerId(n)}.${++this.generation}`;
    await this.retry(`starting job worker ${workerId}`, async () => {
      const runner = await this.startRunner(n, workerId);
      if (this.stopping) await stopRunner(runner);
      else this.runners.set(n, runner);
    });
  }

  /** Runs `step` until it succeeds or the workers stop, waiting longer after each failure. */
  private async retry(what: string, step: () => Promise<void>): Promise<void> {
    for (let delay = 100; !this.stopping; delay = Math.min(delay * 2, maxRetryMs)) {
      try {
        return await step();
      } catch (error) {
        if (!isDatabaseUnavailable(error)) this.options.onError(`${what} failed`, error);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          this.stopped,
          new Promise((resolve) => (timer = setTimeout(resolve, delay))),
        ]).finally(() => clearTimeout(timer));
      }
    }
  }
}

/**
 * Stops a runner; one that already stopped by itself is fine. With the database gone a
 * stop may wait on retries that never succeed: after 10 s it is left.
 */
async function stopRunner(runner: Runner): Promise<void> {
  const stopped = Promise.resolve(runner.stop()).catch((error: unknown) => {
    if (!/already stopped/i.test(String(error)) && !isDatabaseUnavailable(error)) throw error;
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    stopped,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, stopWaitMs))),
  ]).finally(() => clearTimeout(timer));
}
