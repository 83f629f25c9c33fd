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
  /** Widget chats of the last 30 days the bot answered first. */
  bot: {
    answered: number;
    /** Never handed off, and closed or resolved, or quiet for an hour (abandoned). */
    resolvedWithoutPerson: number;
    /** Handed to the team (in the last 30 days). */
    handedOff: number;
  };
};

const DAYS = 30;

// Literals, not parameters: the planner sees the same statement every time, and the
// per-row work stays plain comparisons and interval sums.
const active = sql.raw(`t.status in ('open', 'in_progress', 'waiting_customer')`);
/** A chat of the last 30 days the bot answered first. */
const botChat = sql.raw(
  `t.bot_state <> 'none' and t.created_at >= now() - interval '${DAYS} days'`,
);

/** Event types whose changes `TicketStats` counts (a message alone changes none of it). */
const countedEventTypes = ['ticket.created', 'ticket.updated', 'ticket.rated'];

/** What stats computed earlier depend on, read in one statement (see `ticketStatsVersion`). */
export type TicketStatsVersion = {
  /** The log's newest event id. */
  latestEventId: number;
  /** Some event after the given id changed a counted field (or no id was given). */
  changed: boolean;
  /** The newest ticket number: the seed inserts tickets without logging events. */
  lastNumber: number;
  /** Today as whole UTC days since the epoch (the daily series ends today). */
  day: number;
};

/**
 * Whether stats computed as of event `afterEventId` still hold. Every change to a
 * counted ticket field logs an event in its transaction, and event ids are handed out
 * in commit order, so "no such event after the id" means no such change committed.
 * Scans only the events after `afterEventId` (pass the last call's `latestEventId`).
 */
export async function ticketStatsVersion(
  db: DbOrTx,
  params: { afterEventId: number | null },
): Promise<TicketStatsVersion> {
  const { afterEventId } = params;
  const after = afterEventId ?? 0;
  const changed =
    afterEventId === null
      ? sql`true`
      : sql`exists (select 1 from events where id > ${after} and type in (${sql.join(
          countedEventTypes.map((t) => sql`${t}`),
          sql`, `,
        )}))`;
  const { rows } = await db.execute<Record<keyof TicketStatsVersion, number | boolean>>(sql`
    select
      coalesce((select max(id) from events where id > ${after}), ${after})::bigint as "latestEventId",
      ${changed} as "changed",
      coalesce((select max(number) from tickets), 0) as "lastNumber",
      floor(date_part('epoch', now()) / 86400)::int as "day"`);
  const row = rows[0];
  return {
    latestEventId: Number(row?.latestEventId ?? after),
    changed: row?.changed !== false,
    lastNumber: Number(row?.lastNumber ?? 0),
    day: Number(row?.day ?? 0),
  };
}

/** Active (not resolved or closed) tickets assigned to `agentId`. */
export async function assignedActiveCount(
  db: DbOrTx,
  params: { agentId: string },
): Promise<number> {
  const { agentId } = params;
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from tickets t
    where t.assignee_id = ${agentId} and ${active}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The queue's dashboard numbers, computed in SQL: one pass over `tickets` for the
 * counters and averages, and two index range scans for the daily series.
 */
export async function ticketStats(db: DbOrTx, params: { agentId: string }): Promise<TicketStats> {
  const { agentId } = params;
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
      count(t.rating_score) as csat_count,
      count(*) filter (where ${botChat}) as bot_answered,
      count(*) filter (where ${botChat} and t.bot_state = 'active' and (
        t.status in ('resolved', 'closed') or t.last_message_at < now() - interval '1 hour'
      )) as bot_resolved,
      count(*) filter (where t.bot_state = 'handed_off'
        and t.handed_off_at >= now() - interval '${sql.raw(String(DAYS))} days') as bot_handed_off
    from tickets t`);
  // Days as whole UTC days since the epoch: an integer per row, grouped by hashing.
  // Only days with tickets come back; the empty ones are filled in below. (Joining a
  // generated series of days here instead misleads the planner into estimating
  // millions of rows, and Postgres then JIT-compiles the query: slower, not faster.)
  const since = sql.raw(
    `to_timestamp((floor(date_part('epoch', now()) / 86400) - ${DAYS - 1}) * 86400)`,
  );
  const day = (column: string) => sql.raw(`floor(date_part('epoch', ${column}) / 86400)::int`);
  const daily = db.execute<{ kind: 'today' | 'created' | 'resolved'; day: number; n: number }>(sql`
    select 'today' as kind, ${day('now()')} as day, 0 as n
    union all
    select 'created', ${day('created_at')}, count(*) from tickets where created_at >= ${since} group by 2
    union all
    select 'resolved', ${day('resolved_at')}, count(*) from tickets where resolved_at >= ${since} group by 2`);
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
    daily: dailySeries(dailyRows),
    bot: {
      answered: num('bot_answered'),
      resolvedWithoutPerson: num('bot_resolved'),
      handedOff: num('bot_handed_off'),
    },
  };
}

/** 30 consecutive UTC days ending today, zeros where nothing happened. */
function dailySeries(
  rows: Array<{ kind: 'today' | 'created' | 'resolved'; day: number; n: number }>,
): TicketStats['daily'] {
  const today = Number(
    rows.find((r) => r.kind === 'today')?.day ?? Math.floor(Date.now() / 86_400_000),
  );
  const count = (kind: 'created' | 'resolved', day: number) =>
    Number(rows.find((r) => r.kind === kind && Number(r.day) === day)?.n ?? 0);
  return Array.from({ length: DAYS }, (_, i) => {
    const day = today - (DAYS - 1) + i;
    return {
      date: new Date(day * 86_400_000).toISOString().slice(0, 10),
      created: count('created', day),
      resolved: count('resolved', day),
    };
  });
}
