import { randomUUID } from 'node:crypto';
import { sql, type Column, type SQL } from 'drizzle-orm';
import { alias, PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import { systemAuthorName, systemText } from '@parley/contract';
import type pg from 'pg';
import type { Db } from '../client';
import {
  messages,
  roleEnum,
  ticketBaselines,
  ticketNumberSeq,
  ticketReads,
  tickets,
  ticketSearch,
  users,
  type AuthorRole,
  type Category,
  type Priority,
  type Role,
  type Status,
} from '../schema';
import type { NewMessage } from '../queries/messages';
import { columnIdentifier } from '../sql-names';
import { seedHelpCenter } from './seed-help-center';
import {
  agentNames,
  agentReplies,
  carriers,
  customerReplies,
  firstNames,
  internalNotes,
  lastNames,
  openings,
  products,
  ratingComments,
} from './vocabulary';

export type SeedOptions = {
  tickets: number;
  /** Average messages per ticket (system messages included). Default 10. */
  messagesPerTicket?: number;
  /** Tickets are spread over this many days up to now. Default 90. */
  days?: number;
  /** Password hash every seeded user signs in with. */
  passwordHash: string;
  /** PRNG seed, for reproducible data. */
  seed?: number;
  /** Tickets per transaction. */
  batchSize?: number;
  log?: (line: string) => void;
};

export type SeedResult = {
  customers: number;
  agents: number;
  tickets: number;
  messages: number;
  /** Help articles in the demo help centre (drafts included). */
  helpArticles: number;
  /** A few accounts to sign in with. */
  sampleLogins: Array<{ email: string; role: Role }>;
};

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** mulberry32: a small, fast, seedable PRNG (demo data, not cryptography). */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T,
    chance: (p: number) => next() < p,
    weighted: <T>(entries: ReadonlyArray<readonly [T, number]>): T => {
      let r = next() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [value, weight] of entries) if ((r -= weight) < 0) return value;
      return entries[entries.length - 1]![0];
    },
  };
}
type Rng = ReturnType<typeof prng>;

const categoryWeights: Array<[Category, number]> = [
  ['order', 35],
  ['payment', 15],
  ['technical', 14],
  ['account', 10],
  ['complaint', 8],
  ['suggestion', 4],
  ['general', 10],
  ['other', 4],
];
const priorityWeights: Array<[Priority, number]> = [
  ['low', 25],
  ['medium', 50],
  ['high', 18],
  ['urgent', 7],
];
function fill(text: string, rng: Rng, order: string, product: string): string {
  return text
    .replaceAll('{order}', order)
    .replaceAll('{product}', product)
    .replaceAll('{carrier}', rng.pick(carriers))
    .replaceAll('{days}', String(rng.int(2, 21)))
    .replaceAll('{amount}', `€${rng.int(19, 899)}.${String(rng.int(0, 99)).padStart(2, '0')}`);
}

const emailPart = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[^a-zA-Z]/g, '')
    .toLowerCase();

// The statements below name tables and columns through the schema: a renamed column
// is a type error here. They run on plain `pg` connections (one transaction per batch),
// rendered as the drizzle handle would render them.
const dialect = new PgDialect({ casing: 'snake_case' });

function run<R extends pg.QueryResultRow = Record<string, unknown>>(
  client: pg.Pool | pg.PoolClient,
  query: SQL,
): Promise<pg.QueryResult<R>> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return client.query<R>(text, params);
}

/** `(a, b, c)`: unqualified column names, for an INSERT's column list. */
const columnList = (columns: Column[]) =>
  sql`(${sql.join(columns.map(columnIdentifier), sql`, `)})`;

type SeedUser = { email: string; name: string; role: Role };

/** Inserts users in batches; existing emails (a second seed run) are reused. */
async function upsertUsers(
  client: pg.Pool,
  rows: SeedUser[],
  passwordHash: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    const emails = chunk.map((r) => r.email);
    const names = chunk.map((r) => r.name);
    const roles = chunk.map((r) => r.role);
    await run(
      client,
      sql`insert into ${users} ${columnList([users.email, users.name, users.role, users.passwordHash])}
       select e, n, r::${sql.identifier(roleEnum.enumName)}, ${passwordHash}
       from unnest(${sql.param(emails)}::text[], ${sql.param(names)}::text[], ${sql.param(roles)}::text[]) as u(e, n, r)
       on conflict (${columnIdentifier(users.email)}) do nothing`,
    );
    const { rows: found } = await run<{ id: string; email: string }>(
      client,
      sql`select ${users.id} as id, ${users.email} as email from ${users}
       where ${users.email} = any(${sql.param(emails)}::text[])`,
    );
    const byEmail = new Map(found.map((r) => [r.email, r.id]));
    for (const email of emails) ids.push(byEmail.get(email)!);
  }
  return ids;
}

type TicketRowData = {
  id: string;
  number: number;
  subject: string;
  description: string;
  category: Category;
  priority: Priority;
  status: Status;
  customerId: string;
  assigneeId: string | null;
  orderRef: string | null;
  createdAt: Date;
  updatedAt: Date;
  publicUpdatedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  lastSeq: number;
  responseCount: number;
  publicMessageCount: number;
  messageCount: number;
  lastMessageAt: Date | null;
  lastPublicMessageAt: Date | null;
  ratingScore: number | null;
  ratingComment: string | null;
  ratedAt: Date | null;
  publicText: string;
  internalText: string;
  customerReadSeq: number;
};

/** One ticket and its thread, consistent with the lifecycle rules. */
function makeTicket(
  rng: Rng,
  number: number,
  createdAt: Date,
  now: number,
  customerId: string,
  agents: Array<{ id: string; name: string }>,
  averageMessages: number,
): { ticket: TicketRowData; messages: NewMessage[] } {
  const id = randomUUID();
  const category = rng.weighted(categoryWeights);
  const product = rng.pick(products);
  const order = `ORD-${rng.int(100000, 999999)}`;
  const template = rng.pick(openings[category]);
  const ageDays = (now - createdAt.getTime()) / DAY;
  // Old tickets are mostly done; recent ones mostly in the queue.
  const status: Status =
    ageDays > 10
      ? rng.weighted([
          ['closed', 70],
          ['resolved', 12],
          ['waiting_customer', 8],
          ['in_progress', 5],
          ['open', 5],
        ])
      : rng.weighted([
          ['open', 30],
          ['in_progress', 20],
          ['waiting_customer', 25],
          ['resolved', 20],
          ['closed', 5],
        ]);
  const assignee = status === 'open' && rng.chance(0.7) ? null : rng.pick(agents);
  const done = status === 'resolved' || status === 'closed';

  const messages: NewMessage[] = [];
  let at = createdAt.getTime();
  let firstResponseAt: number | null = null;
  let lastPublicAt: number | null = null;
  let responseCount = 0;
  const publicText: string[] = [];
  const internalText: string[] = [];
  let maxGapMinutes = 600;
  const add = (
    authorId: string | null,
    authorRole: AuthorRole,
    body: string,
    internal = false,
    time?: number,
  ) => {
    // Replies minutes to hours apart, squeezed into a young ticket's age; never in the future.
    const step = rng.int(1, maxGapMinutes) * 60_000 * (authorRole === 'system' ? 0.01 : 1);
    at = time ?? Math.min(at + step, now - 1000);
    messages.push({
      ticketId: id,
      seq: messages.length + 1,
      authorId,
      authorRole,
      body,
      internal,
      clientId: authorRole === 'customer' || authorRole === 'agent' ? randomUUID() : null,
      createdAt: new Date(at),
    });
    if (!internal) lastPublicAt = at;
    if (authorRole !== 'system') (internal ? internalText : publicText).push(body);
  };

  const target =
    status === 'open' && !assignee
      ? rng.int(0, 2)
      : Math.max(1, rng.int(2, 2 * averageMessages - 2));
  maxGapMinutes = Math.max(2, Math.min(600, Math.floor((ageDays * 24 * 60) / (target + 3))));
  if (assignee) add(assignee.id, 'system', `${assignee.name} joined the conversation`);
  let agentTurn = true;
  while (messages.length < target - (done ? 1 : 0)) {
    if (agentTurn && assignee) {
      if (rng.chance(0.1)) {
        add(assignee.id, 'agent', rng.pick(internalNotes), true);
        continue;
      }
      add(assignee.id, 'agent', fill(rng.pick(agentReplies), rng, order, product));
      responseCount++;
      firstResponseAt ??= at;
    } else {
      add(customerId, 'customer', fill(rng.pick(customerReplies), rng, order, product));
    }
    agentTurn = !agentTurn;
  }
  // The last word fits the status: the customer's in the queue, the agent's when waiting.
  const lastPublic = messages.filter((m) => !m.internal && m.authorRole !== 'system').at(-1);
  if ((status === 'open' || status === 'in_progress') && lastPublic?.authorRole === 'agent') {
    add(customerId, 'customer', fill(rng.pick(customerReplies), rng, order, product));
  }
  if (status === 'waiting_customer' && lastPublic?.authorRole !== 'agent' && assignee) {
    add(assignee.id, 'agent', fill(rng.pick(agentReplies), rng, order, product));
    responseCount++;
    firstResponseAt ??= at;
  }
  let resolvedAt: number | null = null;
  let closedAt: number | null = null;
  if (done) {
    add(
      assignee?.id ?? null,
      'system',
      systemText.status('resolved', assignee?.name ?? systemAuthorName),
    );
    resolvedAt = at;
    if (status === 'closed') {
      closedAt = Math.max(resolvedAt, Math.min(resolvedAt + rng.int(1, 7) * DAY, now - 1000));
      // Closed by the auto-close job, as most resolved tickets are.
      add(null, 'system', systemText.status('closed', systemAuthorName), false, closedAt);
    }
  }
  const rated = done && rng.chance(0.4);
  const last = messages[messages.length - 1];
  const updatedAt = Math.max(createdAt.getTime(), last?.createdAt.getTime() ?? 0);
  const publicUpdatedAt = Math.max(createdAt.getTime(), lastPublicAt ?? 0);
  // Counts are of messages people wrote: system lines are not counted.
  const written = messages.filter((m) => m.authorRole !== 'system');
  const publicCount = written.filter((m) => !m.internal).length;
  const date = (t: number | null) => (t === null ? null : new Date(t));

  return {
    messages,
    ticket: {
      id,
      number,
      subject: fill(template.subject, rng, order, product),
      description: fill(template.description, rng, order, product),
      category,
      priority: rng.weighted(priorityWeights),
      status,
      customerId,
      assigneeId: assignee?.id ?? null,
      orderRef: category === 'order' || category === 'payment' ? order : null,
      createdAt,
      updatedAt: new Date(updatedAt),
      publicUpdatedAt: new Date(publicUpdatedAt),
      firstResponseAt: date(firstResponseAt),
      resolvedAt: date(resolvedAt),
      closedAt: date(closedAt),
      lastSeq: messages.length,
      responseCount,
      publicMessageCount: publicCount,
      messageCount: written.length,
      lastMessageAt: date(last ? last.createdAt.getTime() : null),
      lastPublicMessageAt: date(lastPublicAt),
      ratingScore: rated
        ? rng.weighted([
            [5, 50],
            [4, 25],
            [3, 12],
            [2, 7],
            [1, 6],
          ])
        : null,
      ratingComment: rated && rng.chance(0.5) ? rng.pick(ratingComments) : null,
      ratedAt: rated ? new Date(closedAt ?? resolvedAt ?? updatedAt) : null,
      publicText: publicText.join('\n'),
      internalText: internalText.join('\n'),
      customerReadSeq: done ? messages.length : Math.max(0, messages.length - rng.int(0, 2)),
    },
  };
}

/** The columns of `table` that `T` (a seed row) carries: a key of both. */
type SharedKeys<TTable extends PgTable, T> = Extract<keyof TTable['$inferSelect'], keyof T> &
  string;

const ticketColumns = [
  'id',
  'number',
  'subject',
  'description',
  'category',
  'priority',
  'status',
  'customerId',
  'assigneeId',
  'orderRef',
  'createdAt',
  'updatedAt',
  'publicUpdatedAt',
  'firstResponseAt',
  'resolvedAt',
  'closedAt',
  'lastSeq',
  'responseCount',
  'publicMessageCount',
  'messageCount',
  'lastMessageAt',
  'lastPublicMessageAt',
  'ratingScore',
  'ratingComment',
  'ratedAt',
] as const satisfies ReadonlyArray<SharedKeys<typeof tickets, TicketRowData>>;

const messageColumns = [
  'ticketId',
  'seq',
  'authorId',
  'authorRole',
  'body',
  'internal',
  'clientId',
  'createdAt',
] as const satisfies ReadonlyArray<SharedKeys<typeof messages, NewMessage>>;

/**
 * `insert into <table> (cols) select … from unnest($1::t[], …) with ordinality order by
 * ordinality`: the rows' `keys` as one array parameter per column, typed as the column.
 */
function unnestInsert<TTable extends PgTable, T>(
  table: TTable,
  keys: ReadonlyArray<SharedKeys<TTable, T>>,
) {
  const columns = keys.map((key) => (table as unknown as Record<string, Column>)[key]!);
  const aliases = sql.raw(columns.map((_, i) => `c${i}`).join(', '));
  // ORDINALITY keeps the rows in array order, so ticket numbers follow creation time.
  return (rows: T[]) => {
    const arrays = columns.map(
      (column, i) =>
        sql`${sql.param(rows.map((row) => row[keys[i] as keyof T]))}::${sql.raw(column.getSQLType())}[]`,
    );
    return sql`insert into ${table} ${columnList(columns)}
      select ${aliases} from unnest(${sql.join(arrays, sql`, `)}) with ordinality as u(${aliases}, ord)
      order by ord`;
  };
}

/**
 * Fills a database with a realistic support desk: customers, agents (the first is an
 * admin), tickets spread over the last `days` with threads that follow the lifecycle
 * rules, internal notes, ratings, read positions and search vectors. Rows go in with
 * batched `unnest` inserts, one transaction per batch. It writes history, not events
 * (the event log is for live changes from here on), and a baseline of each ticket's
 * list state, which keyset paging needs for tickets with no logged change yet. Then the
 * demo help centre: collections, articles and bot answers (kept, not doubled, on a rerun).
 */
export async function seedDemoData(db: Db, options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const rng = prng(options.seed ?? 42);
  const total = options.tickets;
  const averageMessages = Math.max(2, options.messagesPerTicket ?? 10);
  const days = options.days ?? 90;
  const batchSize = options.batchSize ?? 1000;
  const pool = db.$client;

  const customerCount = Math.max(10, Math.round(total / 5));
  const agentCount = Math.max(3, Math.min(agentNames.length, Math.round(total / 2500)));
  const agentRows: SeedUser[] = agentNames.slice(0, agentCount).map((name, i) => ({
    name,
    email: `${name.toLowerCase().replace(' ', '.')}@support.example.com`,
    role: i === 0 ? 'admin' : 'agent',
  }));
  const customerRows = Array.from({ length: customerCount }, (_, i): SeedUser => {
    const first = rng.pick(firstNames);
    const last = rng.pick(lastNames);
    return {
      name: `${first} ${last}`,
      email: `${emailPart(first)}.${emailPart(last)}.${i + 1}@example.com`,
      role: 'customer',
    };
  });
  const agentIds = await upsertUsers(pool, agentRows, options.passwordHash);
  const customerIds = await upsertUsers(pool, customerRows, options.passwordHash);
  const agents = agentIds.map((id, i) => ({ id, name: agentRows[i]!.name }));
  const assignable = agents.slice(1).length ? agents.slice(1) : agents;
  log(`users: ${customerCount} customers, ${agentCount} agents`);

  const ticketInsert = unnestInsert<typeof tickets, TicketRowData>(tickets, ticketColumns);
  const messageInsert = unnestInsert<typeof messages, NewMessage>(messages, messageColumns);
  // Numbers are reserved up front, so batches may commit in any order and ticket
  // numbers still follow creation time.
  const sequence = ticketNumberSeq.seqName!;
  const { rows: reserved } = await run<{ last: number }>(
    pool,
    sql`select setval(${sequence}::regclass, nextval(${sequence}::regclass) + ${total}::bigint - 1) as last`,
  );
  const firstNumber = Number(reserved[0]!.last) - total + 1;
  const now = Date.now();
  const start = now - days * DAY;
  let messageTotal = 0;
  let ticketTotal = 0;

  const insertBatch = async (ticketRows: TicketRowData[], messageRows: NewMessage[]) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await run(client, ticketInsert(ticketRows));
      await run(client, messageInsert(messageRows));
      const ids = sql.param(ticketRows.map((row) => row.id));
      const publicText = sql.param(ticketRows.map((row) => row.publicText));
      const internalText = sql.param(ticketRows.map((row) => row.internalText));
      const t = alias(tickets, 't');
      await run(
        client,
        sql`insert into ${ticketSearch} ${columnList([ticketSearch.ticketId, ticketSearch.public, ticketSearch.internal])}
         select ${t.id}, parley_tsv_append(parley_ticket_tsv(${t.subject}, ${t.description}, ${t.orderRef}), u.pub),
                to_tsvector('english', u.internal)
         from unnest(${ids}::uuid[], ${publicText}::text[], ${internalText}::text[]) as u(id, pub, internal)
         join ${tickets} ${t} on ${t.id} = u.id`,
      );
      // No events are written for this history: baselines record the tickets' list state
      // as it was before their first logged change (see `ticket_baselines`).
      const b = ticketBaselines;
      await run(
        client,
        sql`insert into ${b} ${columnList([b.ticketId, b.updatedAt, b.publicUpdatedAt, b.priority, b.status, b.category, b.assigneeId])}
         select ${tickets.id}, ${tickets.updatedAt}, ${tickets.publicUpdatedAt}, ${tickets.priority},
                ${tickets.status}, ${tickets.category}, ${tickets.assigneeId}
         from ${tickets} where ${tickets.id} = any(${ids}::uuid[])`,
      );
      const read = ticketRows.filter((row) => row.customerReadSeq > 0);
      await run(
        client,
        sql`insert into ${ticketReads} ${columnList([ticketReads.ticketId, ticketReads.userId, ticketReads.lastReadSeq])}
         select * from unnest(${sql.param(read.map((row) => row.id))}::uuid[],
                              ${sql.param(read.map((row) => row.customerId))}::uuid[],
                              ${sql.param(read.map((row) => row.customerReadSeq))}::int[])`,
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
    ticketTotal += ticketRows.length;
    messageTotal += messageRows.length;
    log(`tickets: ${ticketTotal}/${total}, messages: ${messageTotal}`);
  };

  // Two batches in flight: one generating in JS while Postgres writes the other.
  const inFlight: Array<Promise<void>> = [];
  for (let offset = 0; offset < total; offset += batchSize) {
    const count = Math.min(batchSize, total - offset);
    const ticketRows: TicketRowData[] = [];
    const messageRows: NewMessage[] = [];
    for (let i = 0; i < count; i++) {
      const index = offset + i;
      const createdAt = new Date(start + ((index + rng.next()) * (now - start - HOUR)) / total);
      const { ticket, messages } = makeTicket(
        rng,
        firstNumber + index,
        createdAt,
        now,
        rng.pick(customerIds),
        assignable,
        averageMessages,
      );
      ticketRows.push(ticket);
      messageRows.push(...messages);
    }
    const batch = insertBatch(ticketRows, messageRows);
    // Awaited below; this only keeps a failure from counting as unhandled meanwhile.
    batch.catch(() => {});
    inFlight.push(batch);
    if (inFlight.length >= 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await run(pool, sql`analyze ${users}, ${tickets}, ${messages}, ${ticketSearch}, ${ticketReads}`);
  // The help centre, written by the first agent (an admin).
  const help = await seedHelpCenter(db, { editorId: agentIds[0] ?? null });
  log(`help centre: ${help.articles} articles, ${help.botAnswers} new bot answers`);
  return {
    customers: customerCount,
    agents: agentCount,
    tickets: total,
    messages: messageTotal,
    helpArticles: help.articles,
    sampleLogins: [
      { email: agentRows[0]!.email, role: 'admin' },
      ...agentRows.slice(1, 3).map((a) => ({ email: a.email, role: a.role })),
      ...customerRows.slice(0, 2).map((c) => ({ email: c.email, role: c.role })),
    ],
  };
}
