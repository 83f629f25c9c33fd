import { lockPendingAttachments, type AttachmentRow, type DbOrTx, type Viewer } from '@parley/db';
import { AppError } from '../errors';
import type { attachmentData } from '@parley/contract';
import type { z } from 'zod';

/** `Attachment` of docs/api.md: a file as messages and tickets carry it. */
export type Attachment = z.infer<typeof attachmentData>;

/** What `attachments.upload` answers. */
export type UploadedFile = Pick<
  Attachment,
  'id' | 'name' | 'size' | 'contentType' | 'width' | 'height'
>;

/** The download path of a file on Parley's origin. */
export function fileUrl(id: string, name: string): string {
  return `/files/${id}/${encodeURIComponent(name)}`;
}

export function uploadedFile(row: AttachmentRow): UploadedFile {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    contentType: row.contentType,
    ...(row.width !== null ? { width: row.width } : {}),
    ...(row.height !== null ? { height: row.height } : {}),
  };
}

export function attachmentFromRow(row: AttachmentRow): Attachment {
  const url = fileUrl(row.id, row.name);
  return {
    ...uploadedFile(row),
    url,
    ...(row.hasThumbnail ? { thumbnailUrl: `${url}?thumbnail` } : {}),
  };
}

/** A file name that is safe to show and to put in a path: no folders, no control characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>]/g, '')
    .trim()
    .slice(0, 200);
  return cleaned && cleaned !== '.' && cleaned !== '..' && cleaned.isWellFormed()
    ? cleaned
    : 'file';
}

/** A size limit in words: "25 MB". */
export function megabytesInWords(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/** The refusal of a file over the limit, the same from the procedure and the HTTP layer. */
export function tooLargeMessage(maxBytes: number): string {
  return `This file is too large: files can be up to ${megabytesInWords(maxBytes)}.`;
}

/**
 * Locks the uploads a message (or a new ticket) is to carry, in the order given: only
 * the author's own pending uploads qualify, each once. Anything else (another user's
 * file, one already sent, an expired or unknown id) is refused whole, in the same words.
 */
export async function lockClaimableUploads(
  tx: DbOrTx,
  actor: Viewer,
  ids: readonly string[] | undefined,
): Promise<AttachmentRow[]> {
  if (!ids?.length) return [];
  const unique = [...new Set(ids)];
  const rows = await lockPendingAttachments(tx, { ids: unique, uploader: actor });
  if (rows.length !== unique.length || unique.length !== ids.length) {
    const message = 'A file was not found or was already sent: upload it again';
    throw new AppError('BAD_REQUEST', message, { fieldErrors: { attachmentIds: [message] } });
  }
  const byId = new Map(rows.map((row) => [row.id, row]));
  return unique.map((id) => byId.get(id) as AttachmentRow);
}
