import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../embedded';
import { runMigrations } from '../migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of a database on the test server, for CREATE DATABASE. */
    pgAdminUrl: string;
    /** The migrated template every test file's database is cloned from. */
    pgTemplate: string;
  }
}

/**
 * One PostgreSQL for the whole run: `DATABASE_URL`'s server when set, else an
 * embedded one in a temporary directory. Migrations run once, into a template.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async () => {};
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-test-'));
    await chmod(dir, 0o755); // the server runs as the postgres user when we are root
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'pg'),
      persistent: false,
    });
    adminUrl = `postgres://postgres:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/postgres`;
    stopServer = () => server.stop();
  }
  const template = `parley_tpl_${process.pid}_${Date.now()}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${template}"`);
  const templateUrl = withDatabase(adminUrl, template);
  await runMigrations(templateUrl);

  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  return async () => {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await stopServer();
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
