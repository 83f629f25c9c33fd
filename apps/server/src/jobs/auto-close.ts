import { closeStaleResolvedTickets, defaultAutoCloseDays } from '@parley/api';
import type { Db } from '@parley/db';
import type { Logger } from '../log';
import { repeat, type Job } from './repeat';

export type AutoCloseSettings = {
  /** Days a resolved ticket waits for a customer reply before it closes (default 7). */
  afterDays?: number;
  /** How often to look, in seconds (default 60). */
  intervalSeconds?: number;
};

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
 * with several server processes: the sweep locks tickets with SKIP LOCKED.
 */
export function startAutoCloseJob(
  db: Db,
  settings: Required<AutoCloseSettings>,
  logger: Logger,
): Job {
  return repeat(
    'auto-close',
    settings.intervalSeconds,
    async () => {
      const closed = await closeStaleResolvedTickets(db, { afterDays: settings.afterDays });
      if (closed > 0)
        logger.info('auto-closed resolved tickets', { closed, afterDays: settings.afterDays });
    },
    logger,
  );
}
