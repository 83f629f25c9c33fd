import { deleteForgottenFiles, sweepExpiredUploads, type Services } from '@parley/api';
import type { Logger } from '../log';
import { repeat, type Job } from './repeat';

/**
 * Deletes expired pending uploads (`PARLEY_UPLOAD_TTL_HOURS`), and the bytes of files
 * whose rows were deleted, every `intervalSeconds`, the first time at start-up. Every
 * process may run it: a row is deleted once, and deleting bytes twice is harmless.
 */
export function startUploadSweepJob(
  services: Services,
  intervalSeconds: number,
  logger: Logger,
): Job {
  return repeat(
    'upload-sweep',
    intervalSeconds,
    async () => {
      const deleted = await sweepExpiredUploads(services);
      if (deleted > 0) logger.info('expired uploads deleted', { deleted });
      // The bytes of files whose rows went with a ticket's (or a user's) data.
      await deleteForgottenFiles(services);
    },
    logger,
  );
}
