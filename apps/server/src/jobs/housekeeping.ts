import {
  deleteExpiredGuestSessions,
  deleteExpiredSessions,
  pruneRateLimits,
  type Db,
} from '@parley/db';
import type { Logger } from '../log';
import { repeat, type Job } from './repeat';

/**
 * Keeps the session, guest-session and rate-limit tables from growing for ever: expired (guest) sessions and
 * stale rate-limit windows are deleted hourly. Idempotent, so every process may run it.
 */
export function startHousekeepingJob(db: Db, logger: Logger, intervalSeconds = 3600): Job {
  return repeat(
    'housekeeping',
    intervalSeconds,
    async () => {
      const sessionsDeleted = await deleteExpiredSessions(db);
      const guestSessionsDeleted = await deleteExpiredGuestSessions(db);
      const windowsDeleted = await pruneRateLimits(db);
      if (sessionsDeleted + guestSessionsDeleted + windowsDeleted > 0) {
        logger.info('housekeeping', { sessionsDeleted, guestSessionsDeleted, windowsDeleted });
      }
    },
    logger,
  );
}
