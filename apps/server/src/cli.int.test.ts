import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { anonymousCaller, testServices } from '@parley/api/testing';
import { createTestDatabase } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';

const serverDir = fileURLToPath(new URL('..', import.meta.url));

/** `pnpm parley …` as the user runs it: the CLI in its own process, against `databaseUrl`. */
async function parley(databaseUrl: string, args: string[]) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: serverDir,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      output: error.stdout + error.stderr,
    }),
  );
}

describe('pnpm parley create-admin', () => {
  it('creates an admin who can sign in, and refuses a taken email or a short password', async () => {
    await using test = await createTestDatabase();
    const created = await parley(test.url, [
      'create-admin',
      '--email',
      'Boss@Example.com',
      '--name',
      'The Boss',
      '--password',
      'a good long password',
    ]);
    expect(created).toEqual({ code: 0, output: 'admin boss@example.com created\n' });

    const { caller } = await anonymousCaller(testServices(test.db));
    const { user } = await caller.auth.signIn({
      email: 'boss@example.com',
      password: 'a good long password',
    });
    expect(user).toMatchObject({ name: 'The Boss', role: 'admin' });

    const again = await parley(test.url, [
      'create-admin',
      '--email',
      'boss@example.com',
      '--name',
      'B',
      '--password',
      'another password',
    ]);
    expect(again.code).toBe(1);
    expect(again.output).toContain('already exists');

    const short = await parley(test.url, [
      'create-admin',
      '--email',
      'x@example.com',
      '--name',
      'X',
      '--password',
      'short',
    ]);
    expect(short.code).toBe(1);
    expect(short.output).toContain('8 to 256 characters');

    // No password and no terminal to ask on: a clear error, not a hang.
    const noPassword = await parley(test.url, [
      'create-admin',
      '--email',
      'y@example.com',
      '--name',
      'Y',
    ]);
    expect(noPassword.code).toBe(1);
    expect(noPassword.output).toContain('--password');
  }, 60_000);
});
