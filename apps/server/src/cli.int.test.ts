import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { anonymousCaller, createTestUser, testPassword, testServices } from '@parley/api/testing';
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
    expect(again.output).toContain('pnpm parley promote-admin --email boss@example.com');

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
  }, 180_000); // each spawns the CLI (tsx compiling it): slow on a loaded machine
});

describe('pnpm parley promote-admin', () => {
  it('makes an existing account an admin again (and enables it), ending its sessions', async () => {
    await using test = await createTestDatabase();
    const services = testServices(test.db);
    const demoted = await createTestUser(test.db, 'customer', { email: 'dana@example.com' });
    await test.db.$client.query('update users set disabled_at = now() where id = $1', [demoted.id]);
    const { token } = await services.auth.createSession(demoted.id);

    const promoted = await parley(test.url, ['promote-admin', '--email', 'Dana@Example.com']);
    expect(promoted).toEqual({ code: 0, output: 'dana@example.com is now an admin\n' });

    const { caller } = await anonymousCaller(services);
    const { user } = await caller.auth.signIn({
      email: 'dana@example.com',
      password: testPassword,
    });
    expect(user.role).toBe('admin');
    // The session from before the change is over.
    expect(await services.auth.validate(token)).toBeNull();

    const unknown = await parley(test.url, ['promote-admin', '--email', 'nobody@example.com']);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('there is no account with the email nobody@example.com');
  }, 180_000); // each spawns the CLI (tsx compiling it): slow on a loaded machine
});
