import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertStorageKey, type ByteRange, type FileStorage } from './storage';

/**
 * Files in a directory (`PARLEY_FILES_DIR`), one file per key: for a single host, or a
 * directory every server process mounts. A file appears under its key only once it is
 * complete (written aside, then renamed).
 */
export function directoryFileStorage(dir: string): FileStorage {
  const at = (key: string) => {
    assertStorageKey(key);
    return path.join(dir, key);
  };
  return {
    async put(key, body) {
      const target = at(key);
      await mkdir(dir, { recursive: true });
      const partial = path.join(dir, `.${key}.${randomUUID()}.part`);
      let size = 0;
      async function* counted() {
        for await (const piece of body) {
          size += piece.byteLength;
          yield piece;
        }
      }
      try {
        await pipeline(counted, createWriteStream(partial, { flags: 'wx' }));
        await rename(partial, target);
        return size;
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },

    async get(key, range?: ByteRange): Promise<Readable | null> {
      const file = at(key);
      try {
        await stat(file);
      } catch {
        return null;
      }
      return createReadStream(file, range ? { start: range.start, end: range.end } : {});
    },

    async delete(key) {
      await rm(at(key), { force: true });
    },
  };
}
