import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('migrations', () => {
  it('are in sync with the schema (drizzle-kit generate would add nothing)', async () => {
    // Generate into a scratch copy so a drift never writes into the repository.
    // drizzle-kit only accepts an output folder relative to the package.
    const scratch = await mkdtemp(path.join(packageDir, '.drift-check-'));
    try {
      await cp(path.join(packageDir, 'migrations'), scratch, { recursive: true });
      const before = await readdir(scratch);
      const { stdout } = await promisify(execFile)(
        path.join(packageDir, 'node_modules/.bin/drizzle-kit'),
        [
          'generate',
          '--dialect=postgresql',
          '--schema=./src/schema/index.ts',
          `--out=./${path.basename(scratch)}`,
          '--casing=snake_case',
        ],
        { cwd: packageDir },
      );
      expect(stdout).toContain('No schema changes');
      expect(await readdir(scratch)).toEqual(before);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }, 60_000);
});
