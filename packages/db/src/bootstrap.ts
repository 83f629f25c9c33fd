import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { isAlive, startEmbeddedPostgres } from './embedded';

/** A PostgreSQL server Parley can use, and how to let it go. */
export type DatabaseServer = {
  /** Connection string of the application database. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
  /** Asks an embedded Postgres to stop without waiting (a forced exit); no-op otherwise. */
  signalStop(): void;
};

export type OpenDatabaseServerOptions = {
  /** Where the embedded cluster keeps its data; default `.parley` in the working directory. */
  stateDir?: string;
  /**
   * When another Parley process already runs the embedded cluster, connect to it instead
   * of failing (for short-lived commands such as `pnpm parley create-admin`).
   */
  joinRunning?: boolean;
  log?: (line: string) => void;
};

/** `.parley/` in the directory the user ran pnpm from (pnpm runs scripts in the package). */
export function defaultStateDir(): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), '.parley');
}

/**
 * With `DATABASE_URL` set, uses that server. Otherwise starts (and on first use
 * creates) an embedded PostgreSQL whose data lives under `.parley/`, guarded by a
 * lock file so two Parley processes never share one data directory.
 */
export async function openDatabaseServer(
  options: OpenDatabaseServerOptions = {},
): Promise<DatabaseServer> {
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv) return { url: fromEnv, embedded: false, stop: async () => {}, signalStop: () => {} };

  const stateDir = path.resolve(options.stateDir ?? defaultStateDir());
  await mkdir(stateDir, { recursive: true });
  if (options.joinRunning) {
    const running = runningEmbeddedUrl(stateDir);
    if (running)
      return { url: running, embedded: true, stop: async () => {}, signalStop: () => {} };
  }
  const releaseLock = acquireLock(path.join(stateDir, 'parley.lock'));
  try {
    const server = await startEmbeddedPostgres({
      dataDir: path.join(stateDir, 'pg'),
      persistent: true,
      ownSession: true,
      ...(options.log ? { log: options.log } : {}),
    });
    const adminUrl = `postgres://postgres:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/postgres`;
    await ensureDatabase(adminUrl, 'parley');
    return {
      url: adminUrl.replace(/\/postgres$/, '/parley'),
      embedded: true,
      stop: async () => {
        await server.stop();
        releaseLock();
      },
      signalStop: () => {
        server.signalStop();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Creates `name` on the server if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

function acquireLock(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new Error(
          `${path.dirname(lockFile)} is in use by another Parley process (pid ${holder}). ` +
            'Stop that process first, or set DATABASE_URL to use a PostgreSQL server of your own.',
          { cause: error },
        );
      }
      // The holder died without cleaning up: the lock is stale.
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${lockFile}`);
}

/** The URL of the embedded cluster another live Parley process runs from `stateDir`, if any. */
function runningEmbeddedUrl(stateDir: string): string | null {
  try {
    const holder = Number(readFileSync(path.join(stateDir, 'parley.lock'), 'utf8'));
    if (!isAlive(holder)) return null;
    // postmaster.pid: pid, data dir, start time, port, ...
    const port = Number(
      readFileSync(path.join(stateDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3],
    );
    const password = readFileSync(path.join(stateDir, 'pg.password'), 'utf8').trim();
    if (!Number.isInteger(port) || port <= 0) return null;
    return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/parley`;
  } catch {
    return null;
  }
}
