import {
  deletePendingAttachment,
  dequeueFileDeletions,
  expiredPendingAttachments,
  queuedFileDeletions,
  type Db,
} from '@parley/db';
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

/**
 * Deletes the bytes of attachments whose rows are gone (a ticket's data deleted, a user
 * deleted: the rows cascade, and a trigger queues their keys in `file_deletions`), from
 * whichever storage holds them, then takes the keys off the queue. Safe with several
 * server processes (deleting twice is fine). Returns how many keys were handled.
 */
export async function deleteForgottenFiles(
  { db, files }: { db: Db; files: FileStorage },
  batch = 500,
): Promise<number> {
  let handled = 0;
  for (;;) {
    const keys = await queuedFileDeletions(db, { limit: batch });
    for (const key of keys) await files.delete(key);
    await dequeueFileDeletions(db, { keys });
    handled += keys.length;
    if (keys.length < batch) return handled;
  }
}
