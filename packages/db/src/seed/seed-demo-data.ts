import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../client';
import { type AuthorRole, type Category, type Priority, type Role, type Status } from '../schema';
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
const statusLabel: Record<Status, string> = {
  open: 'Open',
  in_progress: 'In progress',
  waiting_customer: 'Waiting on customer',
  resolved: 'Resolved',
  closed: 'Closed',
};

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
    await client.query(
      `insert into users (email, name, role, password_hash)
       select e, n, r::role, $4 from unnest($1::text[], $2::text[], $3::text[]) as u(e, n, r)
       on conflict (email) do nothing`,
      [emails, chunk.map((r) => r.name), chunk.map((r) => r.role), passwordHash],
    );
    const { rows: found } = await client.query<{ id: string; email: string }>(
      'select id, email from users where email = any($1::text[])',
      [emails],
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

type MessageData = {
  ticketId: string;
  seq: number;
  authorId: string | null;
  authorRole: AuthorRole;
  body: string;
  internal: boolean;
  clientId: string | null;
  createdAt: Date;
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
): { ticket: TicketRowData; messages: MessageData[] } {
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

  const messages: MessageData[] = [];
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
    const resolver = assignee?.name ?? 'Parley';
    add(assignee?.id ?? null, 'system', `Status changed to ${statusLabel.resolved} by ${resolver}`);
    resolvedAt = at;
    if (status === 'closed') {
      closedAt = Math.max(resolvedAt, Math.min(resolvedAt + rng.int(1, 7) * DAY, now - 1000));
      // Closed by the auto-close job, as most resolved tickets are.
      add(null, 'system', `Status changed to ${statusLabel.closed} by Parley`, false, closedAt);
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

const ticketColumns: Array<[keyof TicketRowData, string, string]> = [
  ['id', 'id', 'uuid'],
  ['number', 'number', 'int'],
  ['subject', 'subject', 'text'],
  ['description', 'description', 'text'],
  ['category', 'category', 'ticket_category'],
  ['priority', 'priority', 'ticket_priority'],
  ['status', 'status', 'ticket_status'],
  ['customerId', 'customer_id', 'uuid'],
  ['assigneeId', 'assignee_id', 'uuid'],
  ['orderRef', 'order_ref', 'text'],
  ['createdAt', 'created_at', 'timestamptz'],
  ['updatedAt', 'updated_at', 'timestamptz'],
  ['publicUpdatedAt', 'public_updated_at', 'timestamptz'],
  ['firstResponseAt', 'first_response_at', 'timestamptz'],
  ['resolvedAt', 'resolved_at', 'timestamptz'],
  ['closedAt', 'closed_at', 'timestamptz'],
  ['lastSeq', 'last_seq', 'int'],
  ['responseCount', 'response_count', 'int'],
  ['publicMessageCount', 'public_message_count', 'int'],
  ['messageCount', 'message_count', 'int'],
  ['lastMessageAt', 'last_message_at', 'timestamptz'],
  ['lastPublicMessageAt', 'last_public_message_at', 'timestamptz'],
  ['ratingScore', 'rating_score', 'smallint'],
  ['ratingComment', 'rating_comment', 'text'],
  ['ratedAt', 'rated_at', 'timestamptz'],
];

const messageColumns: Array<[keyof MessageData, string, string]> = [
  ['ticketId', 'ticket_id', 'uuid'],
  ['seq', 'seq', 'int'],
  ['authorId', 'author_id', 'uuid'],
  ['authorRole', 'author_role', 'author_role'],
  ['body', 'body', 'text'],
  ['internal', 'internal', 'boolean'],
  ['clientId', 'client_id', 'uuid'],
  ['createdAt', 'created_at', 'timestamptz'],
];

/** `insert into <table> (cols) select * from unnest($1::t[], …) with ordinality order by ordinality`. */
function unnestInsert<T>(table: string, columns: Array<[keyof T, string, string]>) {
  const names = columns.map(([, name]) => name).join(', ');
  const arrays = columns.map(([, , type], i) => `$${i + 1}::${type}[]`).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  // ORDINALITY keeps the rows in array order, so ticket numbers follow creation time.
  return {
    text: `insert into ${table} (${names})
      select ${aliases} from unnest(${arrays}) with ordinality as u(${aliases}, ord) order by ord`,
    values: (rows: T[]) => columns.map(([key]) => rows.map((row) => row[key])),
  };
}

/**
 * Fills a database with a realistic support desk: customers, agents (the first is an
 * admin), tickets spread over the last `days` with threads that follow the lifecycle
 * rules, internal notes, ratings, read positions and search vectors. Rows go in with
 * batched `unnest` inserts, one transaction per batch. It writes history, not events
 * (the event log is for live changes from here on), and a baseline of each ticket's
 * list state, which keyset paging needs for tickets with no logged change yet.
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

  const ticketInsert = unnestInsert<TicketRowData>('tickets', ticketColumns);
  const messageInsert = unnestInsert<MessageData>('messages', messageColumns);
  // Numbers are reserved up front, so batches may commit in any order and ticket
  // numbers still follow creation time.
  const { rows: reserved } = await pool.query<{ last: number }>(
    "select setval('ticket_number_seq', nextval('ticket_number_seq') + $1::bigint - 1) as last",
    [total],
  );
  const firstNumber = Number(reserved[0]!.last) - total + 1;
  const now = Date.now();
  const start = now - days * DAY;
  let messageTotal = 0;
  let ticketTotal = 0;

  const insertBatch = async (ticketRows: TicketRowData[], messageRows: MessageData[]) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(ticketInsert.text, ticketInsert.values(ticketRows));
      await client.query(messageInsert.text, messageInsert.values(messageRows));
      await client.query(
        `insert into ticket_search (ticket_id, public, internal)
         select t.id, parley_tsv_append(parley_ticket_tsv(t.subject, t.description, t.order_ref), u.pub),
                to_tsvector('english', u.internal)
         from unnest($1::uuid[], $2::text[], $3::text[]) as u(id, pub, internal) join tickets t on t.id = u.id`,
        [
          ticketRows.map((t) => t.id),
          ticketRows.map((t) => t.publicText),
          ticketRows.map((t) => t.internalText),
        ],
      );
      // No events are written for this history: baselines record the tickets' list state
      // as it was before their first logged change (see `ticket_baselines`).
      await client.query(
        `insert into ticket_baselines
           (ticket_id, updated_at, public_updated_at, priority, status, category, assignee_id)
         select id, updated_at, public_updated_at, priority, status, category, assignee_id
         from tickets where id = any($1::uuid[])`,
        [ticketRows.map((t) => t.id)],
      );
      const read = ticketRows.filter((t) => t.customerReadSeq > 0);
      await client.query(
        `insert into ticket_reads (ticket_id, user_id, last_read_seq)
         select * from unnest($1::uuid[], $2::uuid[], $3::int[])`,
        [read.map((t) => t.id), read.map((t) => t.customerId), read.map((t) => t.customerReadSeq)],
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
    const messageRows: MessageData[] = [];
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
  await pool.query('analyze users, tickets, messages, ticket_search, ticket_reads');
  return {
    customers: customerCount,
    agents: agentCount,
    tickets: total,
    messages: messageTotal,
    sampleLogins: [
      { email: agentRows[0]!.email, role: 'admin' },
      ...agentRows.slice(1, 3).map((a) => ({ email: a.email, role: a.role })),
      ...customerRows.slice(0, 2).map((c) => ({ email: c.email, role: c.role })),
    ],
  };
}
