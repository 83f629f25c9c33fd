import { deletePendingAttachment, expiredPendingAttachments, type Db } from '@parley/db';
import type { UploadSettings } from './settings';
import type { FileStorage } from './storage';

/**
 * Deletes uploads no message claimed within `pendingTtlSeconds`: the row first (only
 * while still pending, so an upload claimed at this moment stays), then its bytes.
 * Safe with several server processes. Returns how many were deleted.
 */
export async function sweepExpiredUploads(
  { db, files, uploads }: { db: Db; files: FileStorage; uploads: UploadSettings },
  batch = 500,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const expired = await expiredPendingAttachments(db, {
      olderThanSeconds: uploads.pendingTtlSeconds,
      limit: batch,
    });
    for (const upload of expired) {
      if (!(await deletePendingAttachment(db, { id: upload.id }))) continue;
      await files.delete(upload.id);
      if (upload.hasThumbnail) await files.delete(`${upload.id}.thumb`);
      deleted += 1;
    }
    if (expired.length < batch) return deleted;
  }
}
