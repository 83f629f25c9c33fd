import { randomBytes } from 'node:crypto';
import type { WorkerUtils } from 'graphile-worker';
import type { Db } from '@parley/db';

/**
 * A process killed mid-job (SIGKILL, OOM, a lost machine) leaves its jobs locked, and
 * graphile-worker hands a locked job to nobody for 4 hours. So each process names what
 * it runs: its job connections `parley-jobs:<instance>`, its workers
 * `parley:<instance>:<n>`. A worker whose instance has no connection left is dead: its
 * jobs, once locked for longer than any send may take, are unlocked for the living.
 */
export type JobInstance = { id: string; applicationName: string; workerId(n: number): string };

export function newJobInstance(): JobInstance {
  const id = randomBytes(6).toString('hex');
  return {
    id,
    applicationName: `parley-jobs:${id}`,
    workerId: (n) => `parley:${id}:${n}`,
  };
}

/** Unlocks the jobs of dead workers locked for over `staleSeconds`; their ids. */
export async function unlockDeadWorkers(
  db: Db,
  utils: WorkerUtils,
  staleSeconds: number,
): Promise<string[]> {
  const { rows } = await db.$client.query<{ worker: string }>(
    `select distinct locked_by as worker from graphile_worker.jobs
      where locked_by like 'parley:%:%'
        and locked_at < now() - make_interval(secs => $1)
        and not exists (
          select 1 from pg_stat_activity
           where application_name = 'parley-jobs:' || split_part(locked_by, ':', 2))`,
    [staleSeconds],
  );
  const dead = rows.map((row) => row.worker);
  if (dead.length > 0) await utils.forceUnlockWorkers(dead);
  return dead;
}
