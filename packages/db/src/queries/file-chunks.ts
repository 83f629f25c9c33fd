import { and, asc, between, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { fileChunks } from '../schema';

/** Stores chunk `n` of the file stored under `key`. */
export async function insertFileChunk(
  db: DbOrTx,
  params: { key: string; n: number; data: Buffer },
): Promise<void> {
  await db.insert(fileChunks).values(params);
}

/** Chunks `from`..`to` (inclusive) of a stored file, in order. */
export async function readFileChunks(
  db: DbOrTx,
  params: { key: string; from: number; to: number },
): Promise<{ n: number; data: Buffer }[]> {
  return db
    .select({ n: fileChunks.n, data: fileChunks.data })
    .from(fileChunks)
    .where(and(eq(fileChunks.key, params.key), between(fileChunks.n, params.from, params.to)))
    .orderBy(asc(fileChunks.n));
}

/** Whether any chunk is stored under `key`. */
export async function fileChunksExist(db: DbOrTx, params: { key: string }): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(fileChunks)
    .where(eq(fileChunks.key, params.key))
    .limit(1);
  return row !== undefined;
}

/** Deletes every chunk of the file stored under `key`. */
export async function deleteFileChunks(db: DbOrTx, params: { key: string }): Promise<void> {
  await db.delete(fileChunks).where(eq(fileChunks.key, params.key));
}
