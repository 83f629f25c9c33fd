import { latestEventId, logCursorPosition, type Db } from '@parley/db';

/**
 * Waits until one consumer of the delivery engine has nothing left to do: its cursor has
 * passed the end of the log and no job of its task is waiting or running. Then "nothing
 * arrived" means nothing will.
 */
export async function engineSettled(
  db: Db,
  consumer: { cursor: string; task: string },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const latest = await latestEventId(db);
    const cursor = (await logCursorPosition(db, consumer.cursor)) ?? 0;
    const jobs = await db.$client.query<{ n: number }>(
      'select count(*)::int as n from graphile_worker.jobs where task_identifier = $1',
      [consumer.task],
    );
    if (cursor >= latest && jobs.rows[0]?.n === 0) return;
    if (Date.now() > deadline) throw new Error(`not settled: cursor ${cursor} of ${latest}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
