import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { closeDb, createDb, type Db } from '../client';
import { adminQuery, withDatabase } from './global-setup';

export type TestDatabase = AsyncDisposable & {
  /** Connection string of this test's own database. */
  url: string;
  db: Db;
  /** Connection string of the server's maintenance database (for DDL in tests). */
  adminUrl: string;
};

/**
 * A fresh, migrated database of its own for a test file (cloned from the run's
 * template), dropped on dispose: `await using test = await createTestDatabase()`.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${inject('pgTemplate')}"`);
  const url = withDatabase(adminUrl, name);
  const db = createDb(url, { max: 10, applicationName: 'parley-test' });
  return {
    url,
    db,
    adminUrl,
    async [Symbol.asyncDispose]() {
      await closeDb(db);
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
