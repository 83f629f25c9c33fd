import type pg from 'pg';
import type { QueryStat } from './query-stats';

export type Explained = { sql: string; calls: number; maxMs: number; plan: string[] };

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the slowest read statements a phase sent, each with
 * the parameters of its slowest call: the evidence behind a query that misses its
 * target. Read-only statements only (ANALYZE executes the statement).
 */
export async function explainSlowest(
  pool: pg.Pool,
  stats: readonly QueryStat[],
  count: number,
): Promise<Explained[]> {
  const reads = stats
    .filter((s) => /^\s*(select|with)\b/i.test(s.sql) && !/\bfor\s+(update|share)\b/i.test(s.sql))
    .sort((a, b) => b.maxMs - a.maxMs)
    .slice(0, count);
  const out: Explained[] = [];
  for (const stat of reads) {
    try {
      const result = await pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${stat.sql}`,
        stat.maxParams,
      );
      out.push({
        sql: stat.sql,
        calls: stat.calls,
        maxMs: stat.maxMs,
        plan: result.rows.map((r) => r['QUERY PLAN']),
      });
    } catch (error) {
      out.push({
        sql: stat.sql,
        calls: stat.calls,
        maxMs: stat.maxMs,
        plan: [`EXPLAIN failed: ${String(error)}`],
      });
    }
  }
  return out;
}
