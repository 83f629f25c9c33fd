import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMigrations } from '@parley/db/server';
import { startEmbeddedPostgres } from '@parley/db/testing';

/**
 * A PostgreSQL cluster of a test's own, migrated, for tests that stop it: the shared one
 * must not go down under other tests. `stop` is a fast shutdown (every connection cut);
 * `start` brings it back on the same port with the same data.
 */
export type OwnPostgres = AsyncDisposable & {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
};

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-own-pg-'));
  await chmod(dir, 0o755); // the server runs as the postgres user when we are root
  const dataDir = path.join(dir, 'data');
  let pg = await startEmbeddedPostgres({ dataDir, persistent: true });
  const url = `postgres://postgres:${encodeURIComponent(pg.password)}@127.0.0.1:${pg.port}/postgres`;
  const dispose = async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await runMigrations(url);
  } catch (error) {
    await dispose();
    throw error;
  }
  return {
    url,
    stop: () => pg.stop(),
    async start() {
      pg = await startEmbeddedPostgres({ dataDir, persistent: true, port: pg.port });
    },
    [Symbol.asyncDispose]: dispose,
  };
}
