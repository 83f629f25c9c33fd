import { Readable } from 'node:stream';
import {
  deleteFileChunks,
  fileChunksExist,
  insertFileChunk,
  readFileChunks,
  type Db,
} from '@parley/db';
import { assertStorageKey, type ByteRange, type FileStorage } from './storage';

/** Bytes per stored row: large enough to stream quickly, small enough to hold one at a time. */
export const pgChunkBytes = 256 * 1024;
/** Rows read per query while streaming out. */
const chunksPerRead = 4;

/**
 * Files in PostgreSQL, as numbered rows of `pgChunkBytes` (`file_chunks`): every server
 * process reaches them, and nothing else needs installing. Streams in and out a chunk
 * at a time; a range read touches only the chunks it covers.
 */
export function pgFileStorage(db: Db): FileStorage {
  return {
    async put(key, body) {
      assertStorageKey(key);
      let n = 0;
      let size = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async (all: boolean) => {
        while (pendingBytes >= pgChunkBytes || (all && (pendingBytes > 0 || n === 0))) {
          const joined = Buffer.concat(pending, pendingBytes);
          const data = joined.subarray(0, Math.min(pgChunkBytes, joined.length));
          const rest = joined.subarray(data.length);
          await insertFileChunk(db, { key, n, data: Buffer.from(data) });
          n += 1;
          pending = rest.length ? [rest] : [];
          pendingBytes = rest.length;
          if (all && pendingBytes === 0) break;
        }
      };
      try {
        await deleteFileChunks(db, { key });
        for await (const piece of body) {
          const buffer = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
          pending.push(buffer);
          pendingBytes += buffer.length;
          size += buffer.length;
          if (pendingBytes >= pgChunkBytes) await flush(false);
        }
        await flush(true);
        return size;
      } catch (error) {
        await deleteFileChunks(db, { key }).catch(() => {});
        throw error;
      }
    },

    async get(key, range?: ByteRange) {
      assertStorageKey(key);
      if (!(await fileChunksExist(db, { key }))) return null;
      const first = range ? Math.floor(range.start / pgChunkBytes) : 0;
      const last = range ? Math.floor(range.end / pgChunkBytes) : Number.MAX_SAFE_INTEGER;
      async function* chunks() {
        for (let from = first; from <= last; from += chunksPerRead) {
          const to = Math.min(last, from + chunksPerRead - 1);
          const rows = await readFileChunks(db, { key, from, to });
          for (const row of rows) {
            let data = row.data;
            const offset = row.n * pgChunkBytes;
            if (range) {
              const start = Math.max(0, range.start - offset);
              const end = Math.min(data.length, range.end - offset + 1);
              data = data.subarray(start, end);
            }
            if (data.length) yield data;
          }
          if (rows.length < to - from + 1) return;
        }
      }
      return Readable.from(chunks(), { objectMode: false });
    },

    async delete(key) {
      assertStorageKey(key);
      await deleteFileChunks(db, { key });
    },
  };
}
