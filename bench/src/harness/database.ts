import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabaseServer, runMigrations, type DatabaseServer } from '@parley/db/server';
import pg from 'pg';

export const benchRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where the embedded cluster of the benchmarks lives (gitignored). */
export const stateDir = path.join(benchRoot, '.state');

export type ScratchDatabase = { name: string; url: string; drop(): Promise<void> };

/**
 * The PostgreSQL the benchmarks run against: `DATABASE_URL`'s server when set, else an
 * embedded one kept under `bench/.state/`. Each scenario gets a fresh database on it.
 */
export class BenchDatabase {
  private constructor(
    private readonly server: DatabaseServer,
    readonly adminUrl: string,
  ) {}

  static async open(): Promise<BenchDatabase> {
    const server = await openDatabaseServer({ stateDir });
    return new BenchDatabase(server, withDatabase(server.url, 'postgres'));
  }

  get embedded(): boolean {
    return this.server.embedded;
  }

  /** A fresh, migrated database `parley_bench_<name>` (dropped first if a run left one). */
  async scratch(name: string, options: { migrate?: boolean } = {}): Promise<ScratchDatabase> {
    const database = `parley_bench_${name}`;
    await this.admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await this.admin(`CREATE DATABASE "${database}"`);
    const url = withDatabase(this.adminUrl, database);
    if (options.migrate !== false) await runMigrations(url);
    return {
      name: database,
      url,
      drop: () => this.admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    };
  }

  /** The server's version and the settings that decide commit cost. */
  async describe(): Promise<Record<string, string>> {
    const client = new pg.Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      const out: Record<string, string> = {};
      for (const setting of [
        'server_version',
        'synchronous_commit',
        'fsync',
        'shared_buffers',
        'max_connections',
      ]) {
        const result = await client.query<Record<string, string>>(`SHOW ${setting}`);
        out[setting] = String(Object.values(result.rows[0] ?? {})[0]);
      }
      out.embedded = String(this.server.embedded);
      return out;
    } finally {
      await client.end();
    }
  }

  private async admin(sql: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    await this.server.stop();
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
