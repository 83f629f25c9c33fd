import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newSecretKeyText, parseSecretKey } from '@parley/api';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecretKey } from './secret-key';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-key-'));
  dirs.push(dir);
  return path.join(dir, '.parley');
}

describe('the secret key of `pnpm start`', () => {
  it('is made on first start in .parley/secret-key, readable by its owner only, and kept', async () => {
    const dir = await stateDir();
    const logged: string[] = [];
    const log = (message: string) => void logged.push(message);
    const first = await loadSecretKey({ env: {}, stateDir: dir, log });
    const file = path.join(dir, 'secret-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(parseSecretKey(await readFile(file, 'utf8'))).toEqual(first);
    expect(logged).toEqual(['made a secret key for stored secrets']);
    expect(await loadSecretKey({ env: {}, stateDir: dir, log })).toEqual(first);
    expect(logged).toHaveLength(1);
  });

  it('is PARLEY_SECRETS_KEY (or PARLEY_SECRET_KEY) when set, and a bad one stops the start with a clear message', async () => {
    const dir = await stateDir();
    const text = newSecretKeyText();
    const log = () => {};
    expect(await loadSecretKey({ env: { PARLEY_SECRET_KEY: text }, stateDir: dir, log })).toEqual(
      parseSecretKey(text),
    );
    await expect(
      loadSecretKey({ env: { PARLEY_SECRET_KEY: 'hunter2' }, stateDir: dir, log }),
    ).rejects.toThrow(/^PARLEY_SECRET_KEY: A secret key is 32 bytes/);
    // The name the channels issue gives it; the earlier name still works, a conflict does not.
    const other = newSecretKeyText();
    expect(await loadSecretKey({ env: { PARLEY_SECRETS_KEY: other }, stateDir: dir, log })).toEqual(
      parseSecretKey(other),
    );
    await expect(
      loadSecretKey({
        env: { PARLEY_SECRETS_KEY: other, PARLEY_SECRET_KEY: text },
        stateDir: dir,
        log,
      }),
    ).rejects.toThrow(/both set, to different keys/);
    await expect(
      loadSecretKey({ env: { PARLEY_SECRETS_KEY: 'hunter2' }, stateDir: dir, log }),
    ).rejects.toThrow(/^PARLEY_SECRETS_KEY: A secret key is 32 bytes/);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'secret-key'), 'damaged');
    await expect(loadSecretKey({ env: {}, stateDir: dir, log })).rejects.toThrow(/secret-key: /);
  });
});
