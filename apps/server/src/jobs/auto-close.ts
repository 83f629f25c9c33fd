import { closeStaleResolvedTickets, defaultAutoCloseDays } from '@parley/api';
import type { Db } from '@parley/db';
import { errorFields, type Logger } from '../log';

export type AutoCloseSettings = {
  /** Days a resolved ticket waits for a customer reply before it closes (default 7). */
  afterDays?: number;
  /** How often to look, in seconds (default 60). */
  intervalSeconds?: number;
};

export type AutoCloseJob = { stop(): Promise<void> };

/**
 * Settings from the environment, for what `ServerOptions` leaves unset:
 * `PARLEY_AUTO_CLOSE_DAYS` and `PARLEY_AUTO_CLOSE_INTERVAL_SECONDS`.
 */
export function autoCloseSettings(
  options: AutoCloseSettings = {},
  env: NodeJS.ProcessEnv = process.env,
): Required<AutoCloseSettings> {
  const positive = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new Error(`${name} must be a positive number, not "${value}"`);
    return parsed;
  };
  return {
    afterDays:
      options.afterDays ??
      positive(env.PARLEY_AUTO_CLOSE_DAYS, defaultAutoCloseDays, 'PARLEY_AUTO_CLOSE_DAYS'),
    intervalSeconds:
      options.intervalSeconds ??
      positive(env.PARLEY_AUTO_CLOSE_INTERVAL_SECONDS, 60, 'PARLEY_AUTO_CLOSE_INTERVAL_SECONDS'),
  };
}

/**
 * Runs the auto-close sweep every `intervalSeconds` (the first one right away). Safe
 * with several server processes: the sweep locks tickets with SKIP LOCKED. A failed
 * sweep is logged and retried at the next tick.
 */
export function startAutoCloseJob(
  db: Db,
  settings: Required<AutoCloseSettings>,
  logger: Logger,
): AutoCloseJob {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const tick = () => {
    running = closeStaleResolvedTickets(db, { afterDays: settings.afterDays })
      .then((closed) => {
        if (closed > 0)
          logger.info('auto-closed resolved tickets', { closed, afterDays: settings.afterDays });
      })
      .catch((error: unknown) => logger.error('auto-close failed', errorFields(error)))
      .finally(() => {
        if (!stopped) {
          timer = setTimeout(tick, settings.intervalSeconds * 1000);
          // The job alone never keeps the process alive.
          timer.unref();
        }
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
