import { createHash, randomUUID } from 'node:crypto';
import { insertAttachment, type Db, type Viewer } from '@parley/db';
import { AppError } from '../errors';
import {
  cleanFileName,
  tooLargeMessage,
  uploadedFile,
  type UploadedFile,
} from '../domain/attachments';
import type { UploadSettings } from './settings';
import { cleanedImage, cleanedImageTypes, describeImage } from './images';
import { sniffBytes, sniffContentType } from './sniff';
import type { FileStorage } from './storage';

export type UploadDeps = {
  db: Db;
  files: FileStorage;
  uploads: UploadSettings;
};

/** The first `bytes` of a stream, and the whole stream (those bytes included) to go on with. */
async function peek(source: AsyncIterable<Uint8Array>, bytes: number) {
  const it = source[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let read = 0;
  let ended = false;
  while (read < bytes) {
    const next = await it.next();
    if (next.done) {
      ended = true;
      break;
    }
    parts.push(next.value);
    read += next.value.byteLength;
  }
  const head = Buffer.concat(parts);
  async function* whole() {
    if (head.length) yield head;
    if (ended) return;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, whole: whole() };
}

/** Passes `source` on, and fails once it grows past `maxBytes`. */
async function* measured(source: AsyncIterable<Uint8Array>, maxBytes: number) {
  let size = 0;
  for await (const piece of source) {
    size += piece.byteLength;
    if (size > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', tooLargeMessage(maxBytes));
    yield piece;
  }
}

/** Passes `source` on, hashing it. */
async function* hashed(source: AsyncIterable<Uint8Array>, hash: ReturnType<typeof createHash>) {
  for await (const piece of source) {
    hash.update(piece);
    yield piece;
  }
}

/**
 * Stores one uploaded file, pending until a message claims it: streamed into the file
 * storage a piece at a time, its type sniffed from its first bytes (the client's claim
 * is ignored), its SHA-256 taken on the way. Images are turned upright and stripped of
 * their metadata (EXIF, GPS) before they are stored, and get a thumbnail.
 */
export async function uploadAttachment(
  { db, files, uploads }: UploadDeps,
  actor: Viewer,
  file: File,
): Promise<UploadedFile> {
  if (file.size > uploads.maxBytes) {
    throw new AppError('PAYLOAD_TOO_LARGE', tooLargeMessage(uploads.maxBytes));
  }
  const id = randomUUID();
  const hash = createHash('sha256');
  const { head, whole } = await peek(file.stream(), sniffBytes);
  const contentType = await sniffContentType(head);
  const limited = measured(whole, uploads.maxBytes);
  // Images are stored upright and without metadata: the hash and size are of what is served.
  const body = cleanedImageTypes.has(contentType) ? cleanedImage(limited) : limited;
  const size = await files.put(id, hashed(body, hash));
  try {
    const shape = await describeImage(files, id, contentType);
    const row = await insertAttachment(db, {
      id,
      uploaderId: actor.id,
      guestSessionId: actor.guestSessionId ?? null,
      name: cleanFileName(file.name),
      size,
      contentType,
      width: shape?.width ?? null,
      height: shape?.height ?? null,
      sha256: hash.digest('hex'),
      hasThumbnail: shape !== null,
    });
    return uploadedFile(row);
  } catch (error) {
    await files.delete(id).catch(() => {});
    await files.delete(`${id}.thumb`).catch(() => {});
    throw error;
  }
}
