import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import type { Category, Priority, Status } from '../schema';
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
  status?: Status[];
  priority?: Priority[];
  category?: Category[];
  /** null: unassigned only. */
  assigneeId?: string | null;
  customerId?: string;
  q?: string;
  sort: TicketSort;
  after?: ListPosition;
  limit: number;
};

const PREVIEW_CHARS = 160;
/** Sort keys travel as text so no microsecond is lost on the way through JSON. */
const keyText = (column: SQL) =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The role-dependent columns: what "updated", "messages" and "last message" mean to this viewer. */
function viewerColumns(viewer: Viewer) {
  return isAgent(viewer)
    ? {
        updatedAt: sql`t.updated_at`,
        messageCount: sql`t.message_count`,
        lastMessageAt: sql`t.last_message_at`,
        visibleMessage: sql`true`,
      }
    : {
        updatedAt: sql`t.public_updated_at`,
        messageCount: sql`t.public_message_count`,
        lastMessageAt: sql`t.last_public_message_at`,
        visibleMessage: sql`not m.internal`,
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
      return [timeKey(sql`t.created_at`)];
    case 'priority_desc':
      return [
        { column: sql`t.priority`, type: sql`ticket_priority`, asText: (v) => sql`${v}::text` },
        timeKey(updated),
      ];
  }
}

/**
 * The filters both the page and `total` apply, on `t`: a `tickets` row, or a ticket's
 * state as of a snapshot (`past`), which has the same column names.
 */
function filterConditions(viewer: Viewer, params: ListTicketsParams): SQL[] {
  const where: SQL[] = [];
  if (!isAgent(viewer)) where.push(sql`t.customer_id = ${viewer.id}`);
  if (params.status?.length)
    where.push(sql`t.status = any(${sql.param(params.status)}::ticket_status[])`);
  if (params.priority?.length) {
    where.push(sql`t.priority = any(${sql.param(params.priority)}::ticket_priority[])`);
  }
  if (params.category?.length) {
    where.push(sql`t.category = any(${sql.param(params.category)}::ticket_category[])`);
  }
  if (params.assigneeId === null) where.push(sql`t.assignee_id is null`);
  else if (params.assigneeId !== undefined) where.push(sql`t.assignee_id = ${params.assigneeId}`);
  if (params.customerId !== undefined) where.push(sql`t.customer_id = ${params.customerId}`);
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
    const byNumber = number ? sql` or t.number = ${Number(number)}` : sql``;
    return sql`select t.id from tickets t where t.customer_id = ${viewer.id} and (exists (
      select 1 from ticket_search s where s.ticket_id = t.id and s.public @@ ${query})${byNumber})`;
  }
  const byNumber = number
    ? sql` union select n.id from tickets n where n.number = ${Number(number)}`
    : sql``;
  return sql`select s.ticket_id from ticket_search s
    where s.public @@ ${query} or s.internal @@ ${query}${byNumber}`;
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
  const own = isAgent(viewer) ? sql`` : sql` and e.customer_id = ${viewer.id}`;
  return sql`changed as materialized (
      select distinct e.ticket_id as id from events e where e.id > ${snapshot}${own}
    ),
    past as materialized (
      select t.id, t.number, t.customer_id, t.created_at, s.updated_at, s.public_updated_at,
             s.priority, s.status, s.category, s.assignee_id
      from changed c
      join tickets t on t.id = c.id
      cross join lateral (
        select * from (
          (select 1 as rank, e.state_updated_at as updated_at,
                  e.state_public_updated_at as public_updated_at, e.state_priority as priority,
                  e.state_status as status, e.state_category as category,
                  e.state_assignee_id as assignee_id
           from events e where e.ticket_id = t.id and e.id <= ${snapshot}
           order by e.id desc limit 1)
          union all
          select 2, b.updated_at, b.public_updated_at, b.priority, b.status, b.category,
                 b.assignee_id
          from ticket_baselines b where b.ticket_id = t.id
        ) found order by rank limit 1
      ) s
      -- Null: the event was logged before states were recorded (migration 0005).
      where s.updated_at is not null
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
  viewer: Viewer,
  params: ListTicketsParams,
): Promise<{ rows: TicketViewRow[]; next: ListPosition | null; total: number }> {
  const { after } = params;
  const filters = filterConditions(viewer, params);
  // With `q`: the matching ids (`hits`) are found once; the current tickets come from
  // `matches` (matching and filtered), the past states of changed tickets are checked
  // against `hits` (a hash lookup: there may be thousands of each).
  const source = params.q
    ? {
        ctes: sql`hits (id) as materialized (${searchHits(viewer, params.q)}),
          matches as materialized (
            select t.id, t.created_at, t.updated_at, t.public_updated_at, t.priority
            from tickets t where ${and([...filters, sql`t.id = any(array(select id from hits))`])}
          ),
          counted as (select count(*) as total from matches),`,
        current: sql`matches t`,
        currentFilters: [] as SQL[],
        pastFilters: [...filters, sql`t.id in (select id from hits)`],
      }
    : { ctes: sql``, current: sql`tickets t`, currentFilters: filters, pastFilters: filters };
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
    select t.id, ${sql.join(
      keys.map((k, i) => sql`${k.column} as ${keyNames[i]}`),
      sql`, `,
    )}
    from ${source}
    where ${and(where)}
    order by ${order([...keys.map((k) => k.column), sql`t.id`])}
    limit ${limit})`;

  let ctes: SQL;
  let chosen: SQL;
  let snapshot: SQL;
  if (after) {
    if (after.key.length !== keys.length) throw new Error('cursor does not match the sort');
    const left = sql.join([...keys.map((k) => k.column), sql`t.id`], sql`, `);
    const right = sql.join(
      [...keys.map((k, i) => sql`${after.key[i]}::${k.type}`), sql`${after.id}::uuid`],
      sql`, `,
    );
    const beyond = sql`(${left}) < (${right})`;
    ctes = snapshotCtes(viewer, after.snapshot);
    chosen = sql`select * from (
        ${candidates(source.current, [...source.currentFilters, beyond, sql`t.id not in (select id from changed)`])}
        union all
        ${candidates(sql`past t`, [...source.pastFilters, beyond])}
      ) c order by ${order([...keyNames, sql`id`])} limit ${limit}`;
    snapshot = sql`${after.snapshot}::bigint`;
  } else {
    ctes = sql``;
    chosen = candidates(source.current, source.currentFilters);
    snapshot = sql`(select coalesce(max(id), 0) from events)`;
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
      from chosen c join tickets t on t.id = c.id
    )
    select ${outerColumns(viewer, true)}, ${snapshot} as snapshot, ${pageKeys}
      ${params.q ? sql`, counted.total from counted left join (${fromPage}) on true` : sql`from ${fromPage}`}
    order by ${order([...keyNames.map((name) => sql`p.${name}`), sql`p.id`])}`;

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
        sql`select count(*) as total from tickets t where ${and(filters)}`,
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
  viewer: Viewer,
  ticketId: string,
): Promise<TicketViewRow | undefined> {
  const visible = isAgent(viewer) ? sql`` : sql` and t.customer_id = ${viewer.id}`;
  const { rows } = await db.execute<TicketViewRow & Record<string, unknown>>(sql`
    with page as (
      select ${pageColumns(viewer, true)} from tickets t where t.id = ${ticketId}${visible}
    )
    select ${outerColumns(viewer, false)} from ${fromPage}`);
  const row = rows[0];
  return row ? stripExtras(row) : undefined;
}

function pageColumns(viewer: Viewer, withDescription: boolean): SQL {
  const v = viewerColumns(viewer);
  return sql`t.id, t.number, t.subject, ${withDescription ? sql`t.description` : sql`null::text`} as description,
    t.category, t.priority, t.status, t.order_ref, t.customer_id, t.assignee_id, t.created_at,
    ${v.updatedAt} as updated_at, t.first_response_at, t.resolved_at, t.closed_at,
    ${v.messageCount} as message_count, ${v.lastMessageAt} as last_message_at,
    t.rating_score, t.rating_comment`;
}

const fromPage = sql`page p
  join users cu on cu.id = p.customer_id
  left join users au on au.id = p.assignee_id`;

/**
 * Unread: messages people wrote (not system lines) after the viewer's read position
 * that the viewer did not write and may see. Both subqueries walk the (ticket_id, seq) index of one ticket, page rows only.
 */
function outerColumns(viewer: Viewer, withPreview: boolean): SQL {
  const visible = viewerColumns(viewer).visibleMessage;
  const preview = withPreview
    ? sql`(select btrim(left(regexp_replace(left(m.body, ${PREVIEW_CHARS * 3}), '\\s+', ' ', 'g'), ${PREVIEW_CHARS}))
        from messages m
        where m.ticket_id = p.id and m.author_role <> 'system' and ${visible}
        order by m.seq desc limit 1)`
    : sql`null::text`;
  return sql`p.id, p.number, p.subject, p.description, p.category, p.priority, p.status,
    p.order_ref as "orderRef", p.customer_id as "customerId", cu.name as "customerName",
    p.assignee_id as "assigneeId", au.name as "assigneeName", p.created_at as "createdAt",
    p.updated_at as "updatedAt", p.first_response_at as "firstResponseAt",
    p.resolved_at as "resolvedAt", p.closed_at as "closedAt", p.message_count as "messageCount",
    p.last_message_at as "lastMessageAt", p.rating_score as "ratingScore",
    p.rating_comment as "ratingComment",
    (select count(*) from messages m
      where m.ticket_id = p.id
        and m.seq > coalesce((select r.last_read_seq from ticket_reads r
                              where r.ticket_id = p.id and r.user_id = ${viewer.id}), 0)
        and m.author_id is distinct from ${viewer.id}
        and m.author_role <> 'system'
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
