import type { Readable } from 'node:stream';

/** Inclusive byte positions, as in an HTTP `Range` header. */
export type ByteRange = { start: number; end: number };

/**
 * Where uploaded files' bytes live: PostgreSQL by default (`pgFileStorage`), a directory
 * for single-host installs (`directoryFileStorage`); an S3-compatible driver implements
 * the same three calls. Keys are Parley's (an attachment id, `<id>.thumb`), never a user's.
 */
export interface FileStorage {
  /**
   * Stores `body` under `key`, a piece at a time (never the whole file in memory), and
   * resolves with the bytes stored. When `body` fails, nothing stays stored and `put`
   * rejects with its error.
   */
  put(key: string, body: AsyncIterable<Uint8Array>): Promise<number>;
  /** The bytes stored under `key` (only `range`, when given), or null when there are none. */
  get(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Forgets `key` (nothing stored is fine). */
  delete(key: string): Promise<void>;
}

/** Keys are ours, but a driver that maps them to paths checks them anyway. */
export function assertStorageKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(key) || key.includes('..')) {
    throw new Error(`bad storage key ${JSON.stringify(key)}`);
  }
}
