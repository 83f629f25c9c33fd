import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newSecretKeyText, parseSecretKey } from '@parley/api';

/**
 * The key that seals stored secrets: `PARLEY_SECRETS_KEY` (or its earlier name
 * `PARLEY_SECRET_KEY`) if set, otherwise the file
 * `secret-key` in Parley's state directory (`.parley/`), made on first start (readable by
 * its owner only). Keep it with the database's backups, but not in them: without it the
 * stored webhook and channel secrets cannot be opened.
 */
export async function loadSecretKey(params: {
  env: NodeJS.ProcessEnv;
  stateDir: string;
  log: (message: string, fields: Record<string, unknown>) => void;
}): Promise<Buffer> {
  const named = (['PARLEY_SECRETS_KEY', 'PARLEY_SECRET_KEY'] as const).filter(
    (name) => params.env[name],
  );
  const [name] = named;
  if (name) {
    const text = params.env[name]!;
    if (named.length > 1 && params.env.PARLEY_SECRET_KEY !== text) {
      throw new Error(
        'PARLEY_SECRETS_KEY and PARLEY_SECRET_KEY (its earlier name) are both set, to different keys: keep one',
      );
    }
    try {
      return parseSecretKey(text);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
    }
  }
  const file = path.join(params.stateDir, 'secret-key');
  try {
    await mkdir(params.stateDir, { recursive: true });
    await writeFile(file, `${newSecretKeyText()}\n`, { flag: 'wx', mode: 0o600 });
    params.log('made a secret key for stored secrets', { file });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  try {
    return parseSecretKey(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}
