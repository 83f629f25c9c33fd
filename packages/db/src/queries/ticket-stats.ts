import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { statuses, type Status } from '../schema';

export type TicketStats = {
  byStatus: Record<Status, number>;
  /** Urgent tickets not yet resolved or closed. */
  urgentOpen: number;
  /** Active (not resolved or closed) tickets nobody is assigned to. */
  unassigned: number;
  /** Active tickets assigned to the caller. */
  assignedToMe: number;
  /** Over tickets that had a first agent reply; null when none did. */
  avgFirstResponseSeconds: number | null;
  /** Over tickets that were resolved (or closed); null when none were. */
  avgResolutionSeconds: number | null;
  csat: { average: number | null; count: number };
  /** The last 30 UTC days, oldest first, today last. */
  daily: Array<{ date: string; created: number; resolved: number }>;
};

const DAYS = 30;

/**
 * The queue's dashboard numbers, computed in SQL: one pass over `tickets` for the
 * counters and averages, and two index range scans for the daily series.
 */
export async function ticketStats(db: DbOrTx, agentId: string): Promise<TicketStats> {
  // Literals, not parameters: the planner sees the same statement every time, and the
  // per-row work stays plain comparisons and interval sums.
  const active = sql.raw(`t.status in ('open', 'in_progress', 'waiting_customer')`);
  // Intervals are averaged as intervals and turned into seconds once, not per row.
  const seconds = (from: string, to: string) =>
    sql.raw(`extract(epoch from avg(t.${to} - t.${from}))::float8`);
  const totals = db.execute<Record<string, number | string | null>>(sql`
    select
      ${sql.join(
        statuses.map((s) => sql.raw(`count(*) filter (where t.status = '${s}') as status_${s}`)),
        sql`, `,
      )},
      count(*) filter (where t.priority = 'urgent' and ${active}) as urgent_open,
      count(*) filter (where t.assignee_id is null and ${active}) as unassigned,
      count(*) filter (where t.assignee_id = ${agentId} and ${active}) as assigned_to_me,
      ${seconds('created_at', 'first_response_at')} as avg_first_response,
      ${seconds('created_at', 'resolved_at')} as avg_resolution,
      avg(t.rating_score::float8) as csat_average,
      count(t.rating_score) as csat_count
    from tickets t`);
  // Days as whole UTC days since the epoch: an integer per row, grouped by hashing.
  const daily = db.execute<{ date: string; created: number; resolved: number }>(sql`
    with bounds as (
      select floor(date_part('epoch', now()) / 86400)::int as today
    ),
    days as (
      select generate_series(today - ${DAYS - 1}::int, today) as day from bounds
    ),
    created as (
      select floor(date_part('epoch', created_at) / 86400)::int as day, count(*) as n
      from tickets, bounds
      where created_at >= to_timestamp((today - ${DAYS - 1}::int) * 86400::float8)
      group by 1
    ),
    resolved as (
      select floor(date_part('epoch', resolved_at) / 86400)::int as day, count(*) as n
      from tickets, bounds
      where resolved_at >= to_timestamp((today - ${DAYS - 1}::int) * 86400::float8)
      group by 1
    )
    select to_char(to_timestamp(d.day * 86400::float8) at time zone 'UTC', 'YYYY-MM-DD') as date,
           coalesce(c.n, 0) as created, coalesce(r.n, 0) as resolved
    from days d left join created c using (day) left join resolved r using (day)
    order by d.day`);
  const [{ rows: totalRows }, { rows: dailyRows }] = await Promise.all([totals, daily]);
  const row = totalRows[0] ?? {};
  const num = (key: string) => Number(row[key] ?? 0);
  const optional = (key: string) =>
    row[key] === null || row[key] === undefined ? null : Number(row[key]);
  return {
    byStatus: Object.fromEntries(statuses.map((s) => [s, num(`status_${s}`)])) as Record<
      Status,
      number
    >,
    urgentOpen: num('urgent_open'),
    unassigned: num('unassigned'),
    assignedToMe: num('assigned_to_me'),
    avgFirstResponseSeconds: optional('avg_first_response'),
    avgResolutionSeconds: optional('avg_resolution'),
    csat: { average: optional('csat_average'), count: num('csat_count') },
    daily: dailyRows.map((d) => ({
      date: d.date,
      created: Number(d.created),
      resolved: Number(d.resolved),
    })),
  };
}
