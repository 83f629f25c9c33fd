import {
  deleteExpiredGuestSessions,
  deleteExpiredSessions,
  deleteSpentAccountTokens,
  pruneRateLimits,
  type Db,
} from '@parley/db';
import type { Logger } from '../log';
import { repeat, type Job } from './repeat';

/**
 * Keeps the session, guest-session, rate-limit and emailed-link tables from growing for
 * ever: expired (guest) sessions, stale rate-limit windows and used or expired links
 * (with any pending sign-up's password hash) are deleted hourly. Idempotent, so every
 * process may run it.
 */
export function startHousekeepingJob(db: Db, logger: Logger, intervalSeconds = 3600): Job {
  return repeat(
    'housekeeping',
    intervalSeconds,
    async () => {
      const sessionsDeleted = await deleteExpiredSessions(db);
      const guestSessionsDeleted = await deleteExpiredGuestSessions(db);
      const windowsDeleted = await pruneRateLimits(db);
      const linksDeleted = await deleteSpentAccountTokens(db);
      if (sessionsDeleted + guestSessionsDeleted + windowsDeleted + linksDeleted > 0) {
        logger.info('housekeeping', {
          sessionsDeleted,
          guestSessionsDeleted,
          windowsDeleted,
          linksDeleted,
        });
      }
    },
    logger,
  );
}
