import pg from 'pg';

export type QueryStat = {
  sql: string;
  calls: number;
  totalMs: number;
  maxMs: number;
  maxParams: unknown[];
};

type AnyQuery = (...args: unknown[]) => unknown;
type QueryConfig = { text?: unknown; values?: unknown; submit?: unknown };

/**
 * Times every query the server process sends through `pg` (the module the server's
 * pool uses), per SQL text — pg_stat_statements seen from the application, without
 * touching the server's configuration. Bench-only: installed by the bench server entry.
 * The slowest call's parameters are kept so the parent can EXPLAIN ANALYZE it.
 */
export function installQueryStats() {
  const stats = new Map<string, QueryStat>();
  const prototype = pg.Client.prototype as unknown as { query: AnyQuery };
  const original = prototype.query;

  const note = (text: string, values: unknown[], started: number) => {
    const ms = performance.now() - started;
    // The writes sent with their values inline together with COMMIT (at-commit.ts) are
    // grouped by their shape, like the parameterised statements.
    const sql = /;\s*commit$/.test(text) ? text.replace(/E?'(?:[^']|'')*'/g, '?') : text;
    let stat = stats.get(sql);
    if (!stat) stats.set(sql, (stat = { sql, calls: 0, totalMs: 0, maxMs: 0, maxParams: [] }));
    stat.calls++;
    stat.totalMs += ms;
    if (ms > stat.maxMs) {
      stat.maxMs = ms;
      stat.maxParams = values;
    }
  };

  prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | QueryConfig | undefined;
    const sql =
      typeof first === 'string' ? first : typeof first?.text === 'string' ? first.text : null;
    // Submittables (cursors, streams) and anything unexpected pass through untimed.
    if (sql === null || (typeof first === 'object' && typeof first.submit === 'function'))
      return original.apply(this, args);
    const values = (
      Array.isArray(args[1])
        ? args[1]
        : typeof first === 'object' && Array.isArray(first.values)
          ? first.values
          : []
    ) as unknown[];
    const started = performance.now();
    const callbackAt = args.findIndex((a) => typeof a === 'function');
    if (callbackAt >= 0) {
      const callback = args[callbackAt] as (...r: unknown[]) => unknown;
      args[callbackAt] = (...r: unknown[]) => {
        note(sql, values, started);
        return callback(...r);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise)
      result.then(
        () => note(sql, values, started),
        () => note(sql, values, started),
      );
    return result;
  };

  return {
    /** The statements by total time, largest first. */
    top(limit: number): QueryStat[] {
      return [...stats.values()]
        .sort((a, b) => b.totalMs - a.totalMs)
        .slice(0, limit)
        .map((s) => ({
          ...s,
          totalMs: Math.round(s.totalMs),
          maxMs: Math.round(s.maxMs * 10) / 10,
        }));
    },
    reset(): void {
      stats.clear();
    },
  };
}
