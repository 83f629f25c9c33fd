import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { createTestDatabase } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Running: there, and not a zombie (an orphan's exit is reaped by whoever adopted it). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('a child test server', () => {
  it('exits when the test process that started it dies, instead of running on', async () => {
    await using database = await createTestDatabase();
    // A stand-in for a test process: starts a child server, prints its pid, and waits.
    const parent = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { startChildServer } from './src/testing/child-server.ts';
         const server = await startChildServer({ databaseUrl: process.env.URL });
         console.log(JSON.stringify({ pid: server.pid }));
         setInterval(() => {}, 1000);`,
      ],
      {
        cwd: packageDir,
        env: { ...process.env, URL: database.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const pid = await new Promise<number>((resolve, reject) => {
      createInterface({ input: parent.stdout }).on('line', (line) => {
        try {
          resolve((JSON.parse(line) as { pid: number }).pid);
        } catch {
          // not the pid line
        }
      });
      parent.once('exit', () => reject(new Error('the parent exited first')));
    });
    expect(running(pid)).toBe(true);
    parent.kill('SIGKILL'); // no cleanup of its own: as a test run killed by hand
    const deadline = Date.now() + 20_000;
    while (running(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const left = running(pid);
    if (left) process.kill(pid, 'SIGKILL');
    expect(left).toBe(false);
  }, 120_000);
});
