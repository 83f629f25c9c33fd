import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

// Runs the child with a pseudo-terminal as its stdout that is never read (a terminal that
// takes no more output), interrupts it once it is ready, and reports how it ended.
const python = `
import json, os, signal, subprocess, sys, time
marker = sys.argv[1]
master, slave = os.openpty()
child = subprocess.Popen(['node', '--import', 'tsx', 'src/testing/shutdown-child.ts'],
    stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
    env={**os.environ, 'SHUTDOWN_MARKER': marker})
os.close(slave)
deadline = time.time() + 60
while not os.path.exists(marker + '.ready') and time.time() < deadline and child.poll() is None:
    time.sleep(0.1)
child.send_signal(signal.SIGINT)
interrupted = time.time()
while child.poll() is None and time.time() < interrupted + 20:
    time.sleep(0.1)
report = {'exit': child.poll(), 'after': round(time.time() - interrupted, 2)}
if child.poll() is None:
    child.kill()
    child.wait()
os.close(master)
print(json.dumps(report))
`;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('shutdown', () => {
  it('does not hang on a terminal that takes no more output: the steps run and it exits', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-shutdown-'));
    dirs.push(dir);
    const marker = path.join(dir, 'marker');
    const { stdout } = await promisify(execFile)('python3', ['-c', python, marker], {
      cwd: serverDir,
      timeout: 100_000,
    });
    const report = JSON.parse(stdout) as { exit: number | null; after: number };
    expect(existsSync(marker), JSON.stringify(report)).toBe(true);
    expect(report.exit).toBe(0);
    expect(report.after).toBeLessThan(10);
  }, 120_000);
});
