import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const runInTerminal = fileURLToPath(new URL('./testing/run-in-terminal.py', import.meta.url));

type Process = { pid: number; pgid: number; sid: number; cmd: string };
type Report = {
  ready: boolean;
  /** The command's exit code; negative when a signal killed it; null if still running. */
  exit: number | null;
  /** Seconds from the interrupt until the command exited, and until nothing was left. */
  exitAfter?: number;
  allGoneAfter?: number;
  before: Process[];
  left: Process[];
};

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/**
 * `pnpm start`, as a user runs it, from a new directory (its `.parley/` is there):
 * waits for "listening", interrupts it `how`, and reports how everything ended. The
 * helper kills whatever is left (the command's session, and the Postgres serving this
 * directory, which runs in a session of its own), so a failure leaves nothing running.
 */
async function startAndInterrupt(
  how: 'ctrl-c' | 'sigint' | 'sigterm',
  terminal: boolean,
): Promise<{ report: Report; output: string; cwd: string }> {
  const cwd = await mkdtemp(path.join(tmpdir(), 'parley-start-stop-'));
  await chmod(cwd, 0o755); // Postgres runs as the `postgres` user when the tests run as root
  dirs.push(cwd);
  const log = path.join(cwd, 'output.log');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    PARLEY_NO_DEMO: '1',
  };
  delete env.DATABASE_URL; // the embedded database, as on a fresh machine
  const { stdout } = await promisify(execFile)(
    'python3',
    [
      runInTerminal,
      ...['--cwd', cwd, '--log', log, '--how', how, ...(terminal ? [] : ['--no-tty'])],
      ...['--ready', '"msg":"listening"', '--watch', path.join(cwd, '.parley')],
      ...['--ready-timeout', '150', '--stop-timeout', '30'],
      ...['--', 'pnpm', '--dir', root, 'start'],
    ],
    { env, timeout: 220_000 },
  );
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as Report;
  return { report, output: await readFile(log, 'utf8'), cwd };
}

/** What a clean stop looks like, whatever stopped it. */
function expectCleanStop({ report, output, cwd }: { report: Report; output: string; cwd: string }) {
  const why = `${JSON.stringify(report, null, 1)}\n${output.slice(-3000)}`;
  expect(report.ready, why).toBe(true);
  expect(output, why).toContain('"msg":"shutting down"');
  expect(output, why).toContain('"msg":"stopped"');
  expect(output, why).not.toContain('"level":"error"');
  expect(output, why).not.toContain('forced exit');
  expect(report.exit, why).toBe(0);
  expect(report.left, why).toEqual([]);
  // This directory's Postgres ran (in a session of its own), so "left" covered it too.
  const dataDir = path.join(cwd, '.parley', 'pg');
  expect(
    report.before.some((p) => p.cmd.includes('postgres') && p.cmd.includes(dataDir)),
    why,
  ).toBe(true);
  // Within a few seconds (about one here; generous for a loaded CI machine).
  expect(report.allGoneAfter, why).toBeLessThan(15);
}

describe('pnpm start, stopped the ways users and process managers stop it', () => {
  it('Ctrl-C in a terminal stops the server ("stopped"), then its Postgres; pnpm exits 0 and nothing is left', async () => {
    expectCleanStop(await startAndInterrupt('ctrl-c', true));
  }, 240_000);

  it('SIGTERM to pnpm alone (docker stop, systemd) in a terminal stops everything the same way', async () => {
    expectCleanStop(await startAndInterrupt('sigterm', true));
  }, 240_000);

  it('SIGINT to pnpm alone without a terminal (a process manager) stops everything the same way', async () => {
    expectCleanStop(await startAndInterrupt('sigint', false));
  }, 240_000);
});
