import type { Viewer } from '@parley/db';
import { AppError } from '../errors';
import { maxAttachmentsPerMessage } from '../files/settings';
import { uploadAttachment, type UploadDeps } from '../files/upload';
import type { ParsedMail } from './parse-mail';

/**
 * Stores a mail's attachments and the mail itself (`<subject>.eml`, the original with
 * its quoted history and headers) as the contact's pending uploads, sniffed and limited
 * like any upload, for the ticket or message to claim. Files over the limit or past the
 * tenth are left out (they stay in the .eml) and named in `skipped`.
 */
export async function storeMailFiles(
  deps: UploadDeps,
  contact: Viewer,
  mail: ParsedMail,
  raw: Buffer,
): Promise<{ ids: string[]; skipped: string[] }> {
  const ids: string[] = [];
  const skipped: string[] = [];
  const original = { name: `${mail.subject.slice(0, 80) || 'email'}.eml`, content: raw };
  const room = maxAttachmentsPerMessage - 1; // one place for the original
  for (const [i, file] of mail.attachments.entries()) {
    if (i >= room) {
      skipped.push(`${file.name} (more than ${room} files)`);
      continue;
    }
    const stored = await storeOne(deps, contact, file);
    if (stored) ids.push(stored);
    else skipped.push(`${file.name} (too large)`);
  }
  const eml = await storeOne(deps, contact, original);
  if (eml) ids.push(eml);
  else skipped.push('the original email (too large)');
  return { ids, skipped };
}

async function storeOne(
  deps: UploadDeps,
  contact: Viewer,
  file: { name: string; content: Buffer },
): Promise<string | null> {
  try {
    const uploaded = await uploadAttachment(
      deps,
      contact,
      new File([Uint8Array.from(file.content)], file.name),
    );
    return uploaded.id;
  } catch (error) {
    if (error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE') return null;
    throw error;
  }
}
