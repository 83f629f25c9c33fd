import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { newSecretKeyText, parseSecretKey } from '@parley/api';

/**
 * The key that seals stored secrets: `PARLEY_SECRET_KEY` if set, otherwise the file
 * `secret-key` in Parley's state directory (`.parley/`), made on first start (readable by
 * its owner only). Keep it with the database's backups, but not in them: without it the
 * stored webhook secrets cannot be opened.
 */
export async function loadSecretKey(params: {
  env: NodeJS.ProcessEnv;
  stateDir: string;
  log: (message: string, fields: Record<string, unknown>) => void;
}): Promise<Buffer> {
  const fromEnv = params.env.PARLEY_SECRET_KEY;
  if (fromEnv) {
    try {
      return parseSecretKey(fromEnv);
    } catch (error) {
      throw new Error(`PARLEY_SECRET_KEY: ${(error as Error).message}`, { cause: error });
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
