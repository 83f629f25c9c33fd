import { errorFields, type Logger } from '../log';

/** A background job; `stop()` waits for a run in progress. */
export type Job = { stop(): Promise<void> };

/**
 * Runs `task` now and then every `intervalSeconds` after each run ends. A failed run is
 * logged and retried at the next tick. The timer never keeps the process alive alone.
 */
export function repeat(
  name: string,
  intervalSeconds: number,
  task: () => Promise<void>,
  logger: Logger,
): Job {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = () => {
    running = task()
      .catch((error: unknown) => logger.error(`${name} failed`, errorFields(error)))
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, intervalSeconds * 1000);
        timer.unref();
      });
  };
  tick();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
