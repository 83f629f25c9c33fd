import { sql, type SQL } from 'drizzle-orm';
import { alias, type PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../client';
import {
  categoryEnum,
  events,
  messages,
  priorityEnum,
  statusEnum,
  ticketBaselines,
  ticketReads,
  tickets,
  ticketSearch,
  users,
  channelEnum,
  type Category,
  type Channel,
  type Priority,
  type Status,
} from '../schema';
import { columnIdentifier } from '../sql-names';
import { isAgent, type Viewer } from '../viewer';

/**
 * A ticket as one viewer sees it. Counts, times and the preview only take in messages
 * the viewer may see: a customer's view never reflects an internal note, not even in
 * `updatedAt` or the order of their list.
 */
export type TicketViewRow = {
  id: string;
  number: number;
  subject: string;
  /** null in list rows (summaries leave it out). */
  description: string | null;
  category: Category;
  priority: Priority;
  status: Status;
  orderRef: string | null;
  channel: Channel;
  customerId: string;
  customerName: string;
  assigneeId: string | null;
  assigneeName: string | null;
  createdAt: Date;
  updatedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  messageCount: number;
  unreadCount: number;
  lastMessageAt: Date | null;
  ratingScore: number | null;
  ratingComment: string | null;
  /** The latest non-system message the viewer may see, whitespace folded; null in `getTicketView`. */
  lastMessagePreview: string | null;
};

export const ticketSorts = ['updated_desc', 'created_desc', 'priority_desc'] as const;
export type TicketSort = (typeof ticketSorts)[number];

/** Where a page ended: the sort key of its last row, and the event-log snapshot of page one. */
export type ListPosition = { sort: TicketSort; key: string[]; id: string; snapshot: number };

export type ListTicketsParams = {
  /** Whose list: a customer sees only their own tickets. */
  viewer: Viewer;
  status?: Status[];
  priority?: Priority[];
  category?: Category[];
  channel?: Channel[];
  /** Chats the bot is still answering (`bot_state = 'active'`): left out, or only them. */
  bot?: 'hide' | 'only';
  /** null: unassigned only. */
  assigneeId?: string | null;
  customerId?: string;
  q?: string;
  sort: TicketSort;
  after?: ListPosition;
  limit: number;
};

/** The preview of a message sent with files and no words. */
export const filesOnlyPreview = 'Sent a file';
const PREVIEW_CHARS = 160;

// The statements below name tables and columns through the schema (a renamed column
// is a type error here), under these aliases. `past`, `matches` and `page` are CTEs
// with columns named as the ticket's, read as `t` or `p`.
const t = alias(tickets, 't');
const n = alias(tickets, 'n');
const p = alias(tickets, 'p');
const m = alias(messages, 'm');
const s = alias(ticketSearch, 's');
const e = alias(events, 'e');
const b = alias(ticketBaselines, 'b');
const r = alias(ticketReads, 'r');
const cu = alias(users, 'cu');
const au = alias(users, 'au');
/** `tickets t`, `messages m`…: a table under its alias. */
const as = (table: PgTable, name: PgTable) => sql`${table} ${name}`;
const enumType = (pgEnum: { enumName: string }) => sql.identifier(pgEnum.enumName);
/** Sort keys travel as text so no microsecond is lost on the way through JSON. */
const keyText = (column: SQL) =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The role-dependent columns: what "updated", "messages" and "last message" mean to this viewer. */
function viewerColumns(viewer: Viewer) {
  return isAgent(viewer)
    ? {
        updatedAt: sql`${t.updatedAt}`,
        messageCount: sql`${t.messageCount}`,
        lastMessageAt: sql`${t.lastMessageAt}`,
        visibleMessage: sql`true`,
      }
    : {
        updatedAt: sql`${t.publicUpdatedAt}`,
        messageCount: sql`${t.publicMessageCount}`,
        lastMessageAt: sql`${t.lastPublicMessageAt}`,
        visibleMessage: sql`not ${m.internal}`,
      };
}

type SortKey = { column: SQL; type: SQL; asText: (value: SQL) => SQL };

/** Sort keys (in order, before the final `id`) with their SQL types, for each sort. */
function sortKeys(viewer: Viewer, sort: TicketSort): SortKey[] {
  const updated = viewerColumns(viewer).updatedAt;
  const timeKey = (column: SQL): SortKey => ({ column, type: sql`timestamptz`, asText: keyText });
  switch (sort) {
    case 'updated_desc':
      return [timeKey(updated)];
    case 'created_desc':
      return [timeKey(sql`${t.createdAt}`)];
    case 'priority_desc':
      return [
        {
          column: sql`${t.priority}`,
          type: sql`${enumType(priorityEnum)}`,
          asText: (v) => sql`${v}::text`,
        },
        timeKey(updated),
      ];
  }
}

/**
 * The filters both the page and `total` apply, on `t`: a `tickets` row, or a ticket's
 * state as of a snapshot (`past`), which has the same column names.
 */
function filterConditions(params: ListTicketsParams): SQL[] {
  const { viewer } = params;
  const where: SQL[] = [];
  if (!isAgent(viewer)) where.push(sql`${t.customerId} = ${viewer.id}`);
  if (!isAgent(viewer) && viewer.guestSessionId !== undefined) {
    where.push(sql`${t.guestSessionId} = ${viewer.guestSessionId}`);
  }
  if (params.status?.length) {
    where.push(sql`${t.status} = any(${sql.param(params.status)}::${enumType(statusEnum)}[])`);
  }
  if (params.priority?.length) {
    where.push(
      sql`${t.priority} = any(${sql.param(params.priority)}::${enumType(priorityEnum)}[])`,
    );
  }
  if (params.category?.length) {
    where.push(
      sql`${t.category} = any(${sql.param(params.category)}::${enumType(categoryEnum)}[])`,
    );
  }
  if (params.channel?.length) {
    where.push(sql`${t.channel} = any(${sql.param(params.channel)}::${enumType(channelEnum)}[])`);
  }
  if (params.bot === 'hide') where.push(sql`${t.botState} <> 'active'`);
  if (params.bot === 'only') where.push(sql`${t.botState} = 'active'`);
  if (params.assigneeId === null) where.push(sql`${t.assigneeId} is null`);
  else if (params.assigneeId !== undefined) {
    where.push(sql`${t.assigneeId} = ${params.assigneeId}`);
  }
  if (params.customerId !== undefined) where.push(sql`${t.customerId} = ${params.customerId}`);
  return where;
}

/**
 * The ids of the tickets matching `q` (the `hits` CTE). Agents: the GIN indexes give
 * the matching ids (public vector or internal notes), so the cost follows the number
 * of matches. Customers: their own few tickets are checked one by one against the
 * public vector only. "#1042" or "1042" also finds ticket number 1042.
 */
function searchHits(viewer: Viewer, q: string): SQL {
  const query = sql`parley_tsquery(${q})`;
  const number = /^#?(\d{1,9})$/.exec(q)?.[1];
  if (!isAgent(viewer)) {
    const byNumber = number ? sql` or ${t.number} = ${Number(number)}` : sql``;
    return sql`select ${t.id} from ${as(tickets, t)} where ${t.customerId} = ${viewer.id} and (exists (
      select 1 from ${as(ticketSearch, s)} where ${s.ticketId} = ${t.id} and ${s.public} @@ ${query})${byNumber})`;
  }
  const byNumber = number
    ? sql` union select ${n.id} from ${as(tickets, n)} where ${n.number} = ${Number(number)}`
    : sql``;
  return sql`select ${s.ticketId} from ${as(ticketSearch, s)}
    where ${s.public} @@ ${query} or ${s.internal} @@ ${query}${byNumber}`;
}

const and = (conditions: SQL[]) =>
  conditions.length ? sql.join(conditions, sql` and `) : sql`true`;

/**
 * `changed` and `past`, for a page after the first: the tickets with an event after
 * the snapshot, and their list state as of the snapshot. Each logged event records the
 * ticket's state right after it (`events.state_*`), so the state as of the snapshot is
 * that of its latest event up to it; a ticket written without the log (seeded) has its
 * baseline instead. A ticket with neither was created after the snapshot: it has no
 * past state, so later pages leave it out (page one did not have it either).
 */
function snapshotCtes(viewer: Viewer, snapshot: number): SQL {
  const own = isAgent(viewer) ? sql`` : sql` and ${e.customerId} = ${viewer.id}`;
  // `found`: the state as of the snapshot, under the ticket's column names.
  const found = alias(ticketBaselines, 'found');
  return sql`changed as materialized (
      select distinct ${e.ticketId} as id from ${as(events, e)} where ${e.id} > ${snapshot}${own}
    ),
    past as materialized (
      select ${t.id}, ${t.number}, ${t.customerId}, ${t.channel}, ${t.botState}, ${t.createdAt}, ${found.updatedAt},
             ${found.publicUpdatedAt}, ${found.priority}, ${found.status}, ${found.category},
             ${found.assigneeId}
      from changed c
      join ${as(tickets, t)} on ${t.id} = c.id
      cross join lateral (
        select * from (
          (select 1 as rank, ${e.stateUpdatedAt} as ${columnIdentifier(found.updatedAt)},
                  ${e.statePublicUpdatedAt} as ${columnIdentifier(found.publicUpdatedAt)},
                  ${e.statePriority} as ${columnIdentifier(found.priority)},
                  ${e.stateStatus} as ${columnIdentifier(found.status)},
                  ${e.stateCategory} as ${columnIdentifier(found.category)},
                  ${e.stateAssigneeId} as ${columnIdentifier(found.assigneeId)}
           from ${as(events, e)} where ${e.ticketId} = ${t.id} and ${e.id} <= ${snapshot}
           order by ${e.id} desc limit 1)
          union all
          select 2, ${b.updatedAt}, ${b.publicUpdatedAt}, ${b.priority}, ${b.status},
                 ${b.category}, ${b.assigneeId}
          from ${as(ticketBaselines, b)} where ${b.ticketId} = ${t.id}
        ) states order by rank limit 1
      ) ${found}
      -- Null: the event was logged before states were recorded (migration 0005).
      where ${found.updatedAt} is not null
    ),`;
}

/**
 * One page of tickets in keyset order, and the number of tickets matching the filters.
 *
 * Paging is a snapshot taken with page one: the cursor carries the id of the newest
 * event visible then, and later pages order and filter every ticket by its state as
 * of that event. A ticket changed while someone pages keeps the place it had, so each
 * ticket of the snapshot is listed exactly once, in every order; what changed since
 * comes through the live inbox, and a fresh page one shows it. Tickets created after
 * page one are left out. The rows themselves carry current values. `q` matches
 * current text (a thread only grows, so a match never goes away).
 *
 * The cost follows the page size and the number of tickets changed since page one:
 * the unchanged tickets are read in index order, the changed ones by their events.
 * With `q`, the matching ids are found once (GIN), then counted and paged.
 */
export async function listTicketViews(
  db: DbOrTx,
  params: ListTicketsParams,
): Promise<{ rows: TicketViewRow[]; next: ListPosition | null; total: number }> {
  const { viewer, after } = params;
  const filters = filterConditions(params);
  // With `q`: the matching ids (`hits`) are found once; the current tickets come from
  // `matches` (matching and filtered), the past states of changed tickets are checked
  // against `hits` (a hash lookup: there may be thousands of each).
  const source = params.q
    ? {
        ctes: sql`hits (id) as materialized (${searchHits(viewer, params.q)}),
          matches as materialized (
            select ${t.id}, ${t.createdAt}, ${t.updatedAt}, ${t.publicUpdatedAt}, ${t.priority}
            from ${as(tickets, t)}
            where ${and([...filters, sql`${t.id} = any(array(select id from hits))`])}
          ),
          counted as (select count(*) as total from matches),`,
        current: sql`matches ${t}`,
        currentFilters: [] as SQL[],
        pastFilters: [...filters, sql`${t.id} in (select id from hits)`],
      }
    : { ctes: sql``, current: as(tickets, t), currentFilters: filters, pastFilters: filters };
  const keys = sortKeys(viewer, params.sort);
  const limit = params.limit + 1;
  /** `desc` on the sort keys, then the id. */
  const order = (columns: SQL[]) =>
    sql.join(
      columns.map((c) => sql`${c} desc nulls last`),
      sql`, `,
    );
  const keyNames = keys.map((_, i) => sql.raw(`o${i}`));

  // Candidates: id and sort key values, the same whether read from `tickets` or `past`.
  const candidates = (source: SQL, where: SQL[]) => sql`(
    select ${t.id}, ${sql.join(
      keys.map((k, i) => sql`${k.column} as ${keyNames[i]}`),
      sql`, `,
    )}
    from ${source}
    where ${and(where)}
    order by ${order([...keys.map((k) => k.column), sql`${t.id}`])}
    limit ${limit})`;

  let ctes: SQL;
  let chosen: SQL;
  let snapshot: SQL;
  if (after) {
    if (after.key.length !== keys.length) throw new Error('cursor does not match the sort');
    const left = sql.join([...keys.map((k) => k.column), sql`${t.id}`], sql`, `);
    const right = sql.join(
      [...keys.map((k, i) => sql`${after.key[i]}::${k.type}`), sql`${after.id}::uuid`],
      sql`, `,
    );
    const beyond = sql`(${left}) < (${right})`;
    ctes = snapshotCtes(viewer, after.snapshot);
    chosen = sql`select * from (
        ${candidates(source.current, [...source.currentFilters, beyond, sql`${t.id} not in (select id from changed)`])}
        union all
        ${candidates(sql`past ${t}`, [...source.pastFilters, beyond])}
      ) c order by ${order([...keyNames, sql`id`])} limit ${limit}`;
    snapshot = sql`${after.snapshot}::bigint`;
  } else {
    ctes = sql``;
    chosen = candidates(source.current, source.currentFilters);
    snapshot = sql`(select coalesce(max(${events.id}), 0) from ${events})`;
  }

  // The page's sort keys: as values to order by, and as text for the next cursor.
  const keyColumns = sql.join(
    keys.map((k, i) => {
      const value = sql`c.${keyNames[i]}`;
      return sql`${k.asText(value)} as ${sql.raw(`k${i}`)}, ${value} as ${keyNames[i]}`;
    }),
    sql`, `,
  );
  const pageKeys = sql.join(
    keys.map((_, i) => sql`p.${sql.raw(`k${i}`)}`),
    sql`, `,
  );
  // With `q`, one statement: the matches are found once for both the page and the
  // count, and the count comes through even when the page is empty.
  const pageQuery = sql`
    with ${source.ctes} ${ctes}
    chosen as (${chosen}),
    page as (
      select ${pageColumns(viewer, false)}, ${keyColumns}
      from chosen c join ${as(tickets, t)} on ${t.id} = c.id
    )
    select ${outerColumns(viewer, true)}, ${snapshot} as snapshot, ${pageKeys}
      ${params.q ? sql`, counted.total from counted left join (${fromPage}) on true` : sql`from ${fromPage}`}
    order by ${order([...keyNames.map((name) => sql`p.${name}`), sql`${p.id}`])}`;

  let rows: Array<TicketViewRow & Record<string, unknown>>;
  let total: number;
  if (params.q) {
    const { rows: found } = await db.execute<TicketViewRow & Record<string, unknown>>(pageQuery);
    total = Number(found[0]?.total ?? 0);
    rows = found.filter((row) => row.id !== null);
  } else {
    const [page, count] = await Promise.all([
      db.execute<TicketViewRow & Record<string, unknown>>(pageQuery),
      db.execute<{ total: number }>(
        sql`select count(*) as total from ${as(tickets, t)} where ${and(filters)}`,
      ),
    ]);
    rows = page.rows;
    total = Number(count.rows[0]?.total ?? 0);
  }

  const hasMore = rows.length > params.limit;
  const pageRows = rows.slice(0, params.limit);
  const last = pageRows[pageRows.length - 1];
  const next: ListPosition | null =
    hasMore && last
      ? {
          sort: params.sort,
          key: keys.map((_, i) => String(last[`k${i}`])),
          id: last.id,
          snapshot: Number(last.snapshot),
        }
      : null;
  return { rows: pageRows.map(stripExtras), next, total };
}

/** One ticket as this viewer sees it (with its description), or undefined when not visible. */
export async function getTicketView(
  db: DbOrTx,
  params: { viewer: Viewer; ticketId: string },
): Promise<TicketViewRow | undefined> {
  const { viewer, ticketId } = params;
  const visible = isAgent(viewer)
    ? sql``
    : viewer.guestSessionId
      ? sql` and ${t.customerId} = ${viewer.id} and ${t.guestSessionId} = ${viewer.guestSessionId}`
      : sql` and ${t.customerId} = ${viewer.id}`;
  const { rows } = await db.execute<TicketViewRow & Record<string, unknown>>(sql`
    with page as (
      select ${pageColumns(viewer, true)} from ${as(tickets, t)} where ${t.id} = ${ticketId}${visible}
    )
    select ${outerColumns(viewer, false)} from ${fromPage}`);
  const row = rows[0];
  return row ? stripExtras(row) : undefined;
}

function pageColumns(viewer: Viewer, withDescription: boolean): SQL {
  const v = viewerColumns(viewer);
  const description = withDescription ? sql`${t.description}` : sql`null::text`;
  return sql`${t.id}, ${t.number}, ${t.subject}, ${description} as ${columnIdentifier(t.description)},
    ${t.category}, ${t.priority}, ${t.status}, ${t.orderRef}, ${t.channel}, ${t.customerId}, ${t.assigneeId},
    ${t.createdAt}, ${v.updatedAt} as ${columnIdentifier(t.updatedAt)}, ${t.firstResponseAt},
    ${t.resolvedAt}, ${t.closedAt}, ${v.messageCount} as ${columnIdentifier(t.messageCount)},
    ${v.lastMessageAt} as ${columnIdentifier(t.lastMessageAt)}, ${t.ratingScore}, ${t.ratingComment}`;
}

const fromPage = sql`page ${p}
  join ${as(users, cu)} on ${cu.id} = ${p.customerId}
  left join ${as(users, au)} on ${au.id} = ${p.assigneeId}`;

/**
 * Unread: messages people wrote (not system lines) after the viewer's read position
 * that the viewer did not write and may see. Both subqueries walk the (ticket_id, seq) index of one ticket, page rows only.
 */
function outerColumns(viewer: Viewer, withPreview: boolean): SQL {
  const visible = viewerColumns(viewer).visibleMessage;
  const preview = withPreview
    ? // A message of files only has no words: its preview says so.
      sql`(select coalesce(nullif(btrim(left(regexp_replace(left(${m.body}, ${PREVIEW_CHARS * 3}), '\\s+', ' ', 'g'), ${PREVIEW_CHARS})), ''), ${filesOnlyPreview})
        from ${as(messages, m)}
        where ${m.ticketId} = ${p.id} and ${m.authorRole} <> 'system' and ${visible}
        order by ${m.seq} desc limit 1)`
    : sql`null::text`;
  return sql`${p.id}, ${p.number}, ${p.subject}, ${p.description}, ${p.category}, ${p.priority},
    ${p.status}, ${p.orderRef} as "orderRef", ${p.channel}, ${p.customerId} as "customerId",
    ${cu.name} as "customerName", ${p.assigneeId} as "assigneeId", ${au.name} as "assigneeName",
    ${p.createdAt} as "createdAt", ${p.updatedAt} as "updatedAt",
    ${p.firstResponseAt} as "firstResponseAt", ${p.resolvedAt} as "resolvedAt",
    ${p.closedAt} as "closedAt", ${p.messageCount} as "messageCount",
    ${p.lastMessageAt} as "lastMessageAt", ${p.ratingScore} as "ratingScore",
    ${p.ratingComment} as "ratingComment",
    (select count(*) from ${as(messages, m)}
      where ${m.ticketId} = ${p.id}
        and ${m.seq} > coalesce((select ${r.lastReadSeq} from ${as(ticketReads, r)}
                              where ${r.ticketId} = ${p.id} and ${r.userId} = ${viewer.id}), 0)
        and ${m.authorId} is distinct from ${viewer.id}
        and ${m.authorRole} <> 'system'
        and ${visible}) as "unreadCount",
    ${preview} as "lastMessagePreview"`;
}

/** Raw rows carry timestamps as text (drizzle leaves them unparsed outside its query builder). */
const toDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));
const toOptionalDate = (value: unknown) =>
  value === null || value === undefined ? null : toDate(value);

function stripExtras(row: TicketViewRow & Record<string, unknown>): TicketViewRow {
  return {
    id: row.id,
    number: Number(row.number),
    subject: row.subject,
    description: row.description,
    category: row.category,
    priority: row.priority,
    status: row.status,
    orderRef: row.orderRef,
    channel: row.channel,
    customerId: row.customerId,
    customerName: row.customerName,
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeName,
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
    firstResponseAt: toOptionalDate(row.firstResponseAt),
    resolvedAt: toOptionalDate(row.resolvedAt),
    closedAt: toOptionalDate(row.closedAt),
    messageCount: Number(row.messageCount),
    unreadCount: Number(row.unreadCount),
    lastMessageAt: toOptionalDate(row.lastMessageAt),
    ratingScore: row.ratingScore === null ? null : Number(row.ratingScore),
    ratingComment: row.ratingComment,
    lastMessagePreview: row.lastMessagePreview,
  };
}
