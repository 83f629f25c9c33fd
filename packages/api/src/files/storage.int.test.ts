import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryFileStorage } from './directory-storage';
import { pgChunkBytes, pgFileStorage } from './pg-storage';
import type { FileStorage } from './storage';

async function bytesOf(stream: Readable | null): Promise<Buffer> {
  if (!stream) throw new Error('nothing stored');
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

/** `bytes` in pieces of odd sizes, as a network delivers them. */
async function* pieces(bytes: Buffer, size = 65_537) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

let test: TestDatabase;
let dir: string;
beforeAll(async () => {
  test = await createTestDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'parley-files-'));
});
afterAll(async () => {
  await test?.[Symbol.asyncDispose]();
  await rm(dir, { recursive: true, force: true });
});

const drivers: [string, () => FileStorage][] = [
  ['postgres', () => pgFileStorage(test.db)],
  ['directory', () => directoryFileStorage(dir)],
];

describe.each(drivers)('%s file storage', (name, make) => {
  it('stores a stream and gives back identical bytes, whole and by range', async () => {
    const storage = make();
    const bytes = randomBytes(pgChunkBytes * 3 + 12_345);
    expect(await storage.put(`${name}-a`, pieces(bytes))).toBe(bytes.length);
    const back = await bytesOf(await storage.get(`${name}-a`));
    expect(createHash('sha256').update(back).digest('hex')).toBe(
      createHash('sha256').update(bytes).digest('hex'),
    );
    // Ranges inside one chunk, across chunk borders, and the very end.
    for (const [start, end] of [
      [0, 0],
      [10, 99],
      [pgChunkBytes - 5, pgChunkBytes + 5],
      [pgChunkBytes, pgChunkBytes * 3 + 100],
      [bytes.length - 1, bytes.length - 1],
    ] as const) {
      const part = await bytesOf(await storage.get(`${name}-a`, { start, end }));
      expect(part.equals(bytes.subarray(start, end + 1))).toBe(true);
    }
  });

  it('stores an empty file, and knows nothing of a key never stored', async () => {
    const storage = make();
    expect(await storage.put(`${name}-empty`, pieces(Buffer.alloc(0)))).toBe(0);
    expect((await bytesOf(await storage.get(`${name}-empty`))).length).toBe(0);
    expect(await storage.get(`${name}-never`)).toBeNull();
  });

  it('keeps nothing of a stream that fails midway, and deletes', async () => {
    const storage = make();
    async function* failing() {
      yield randomBytes(pgChunkBytes + 10);
      throw new Error('client went away');
    }
    await expect(storage.put(`${name}-broken`, failing())).rejects.toThrow('client went away');
    expect(await storage.get(`${name}-broken`)).toBeNull();
    await storage.put(`${name}-gone`, pieces(randomBytes(1000)));
    await storage.delete(`${name}-gone`);
    expect(await storage.get(`${name}-gone`)).toBeNull();
    await storage.delete(`${name}-gone`);
  });

  it('refuses keys that are not its own', async () => {
    const storage = make();
    await expect(storage.put('../etc/passwd', pieces(Buffer.from('x')))).rejects.toThrow(
      'bad storage key',
    );
    await expect(storage.get('a/b')).rejects.toThrow('bad storage key');
  });
});

it('the postgres driver keeps a file as chunk rows, never one value', async () => {
  const storage = pgFileStorage(test.db);
  await storage.put('rows', pieces(randomBytes(pgChunkBytes * 2 + 1)));
  const { rows } = await test.db.$client.query<{ n: number; len: number }>(
    `select n, length(data) as len from file_chunks where key = 'rows' order by n`,
  );
  expect(rows).toEqual([
    { n: 0, len: pgChunkBytes },
    { n: 1, len: pgChunkBytes },
    { n: 2, len: 1 },
  ]);
});

it('the directory driver leaves no partial file behind', async () => {
  expect((await readdir(dir)).filter((f) => f.endsWith('.part'))).toEqual([]);
});
