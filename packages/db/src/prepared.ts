import type { DbOrTx } from './client';

const cache = new WeakMap<DbOrTx, Map<string, unknown>>();

/**
 * A named prepared statement, built once per handle (the pool's, or a pooled
 * connection's) instead of once per call: drizzle skips building the SQL, and Postgres
 * parses and plans it once per connection. `build` must give the same statement for
 * the same name.
 */
export function prepared<T>(db: DbOrTx, name: string, build: (db: DbOrTx) => T): T {
  let byName = cache.get(db);
  if (!byName) cache.set(db, (byName = new Map<string, unknown>()));
  let statement = byName.get(name) as T | undefined;
  if (statement === undefined) byName.set(name, (statement = build(db)));
  return statement;
}
