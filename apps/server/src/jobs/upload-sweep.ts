import { sweepExpiredUploads, type Services } from '@parley/api';
import type { Logger } from '../log';
import { repeat, type Job } from './repeat';

/**
 * Deletes expired pending uploads (`PARLEY_UPLOAD_TTL_HOURS`) every `intervalSeconds`,
 * the first time at start-up. Every process may run it: a row is deleted once.
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
    },
    logger,
  );
}
