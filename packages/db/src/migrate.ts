import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { Logger, runMigrations as runWorkerMigrations } from 'graphile-worker';
import pg from 'pg';

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Any 64-bit constant: serializes migrations when several servers start at once. */
const MIGRATION_LOCK = 7201309001;

/** graphile-worker logs each migration step at info: nothing a user needs to see. */
const quietLogger = new Logger(() => () => {});

/** Applies the committed SQL migrations and the job queue's schema; safe to call from several processes at once. */
export async function runMigrations(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'parley-migrate' });
  await client.connect();
  try {
    await client.query('SET client_min_messages = warning');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder });
    // The job queue's own schema (graphile_worker), under the same lock.
    await runWorkerMigrations({ connectionString: url, maxPoolSize: 1, logger: quietLogger });
  } finally {
    await client.end();
  }
}
