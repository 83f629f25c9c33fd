import { and, asc, desc, eq, gt, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { prepared } from '../prepared';
import { messages, ticketReads, users, type AuthorRole, type MessageRow } from '../schema';
import { isAgent, type Viewer } from '../viewer';

/** A message with its author's current display name (null for a system message without actor). */
export type MessageWithAuthor = MessageRow & { authorName: string | null };

const withAuthor = {
  id: messages.id,
  ticketId: messages.ticketId,
  seq: messages.seq,
  authorId: messages.authorId,
  authorRole: messages.authorRole,
  body: messages.body,
  internal: messages.internal,
  clientId: messages.clientId,
  createdAt: messages.createdAt,
  metadata: messages.metadata,
  authorName: users.name,
};

/** The message an author sent with this `clientId`, on any ticket. */
export async function findMessageByClientId(
  db: DbOrTx,
  params: { authorId: string; clientId: string },
): Promise<MessageWithAuthor | undefined> {
  const query = prepared(db, 'message_by_client_id', (handle) =>
    handle
      .select(withAuthor)
      .from(messages)
      .leftJoin(users, eq(users.id, messages.authorId))
      .where(
        and(
          eq(messages.authorId, sql.placeholder('authorId')),
          eq(messages.clientId, sql.placeholder('clientId')),
        ),
      )
      .limit(1)
      .prepare('message_by_client_id'),
  );
  const [row] = await query.execute({ authorId: params.authorId, clientId: params.clientId });
  return row;
}

export type NewMessage = {
  ticketId: string;
  seq: number;
  authorId: string | null;
  authorRole: AuthorRole;
  body: string;
  internal: boolean;
  clientId: string | null;
  createdAt: Date;
};

export type ListMessagesParams = {
  ticketId: string;
  includeInternal: boolean;
  /** Only messages with a smaller seq. */
  before?: number;
  /** Only messages with a larger seq. */
  after?: number;
  limit: number;
};

/**
 * One page of a thread in ascending `seq`. With `after` it pages forward from there;
 * otherwise it returns the newest page (below `before` when given). `hasMore` says
 * whether more messages lie beyond the page in the direction of travel.
 */
export async function listMessages(
  db: DbOrTx,
  params: ListMessagesParams,
): Promise<{ items: MessageWithAuthor[]; hasMore: boolean }> {
  const where: SQL[] = [eq(messages.ticketId, params.ticketId)];
  if (!params.includeInternal) where.push(eq(messages.internal, false));
  if (params.before !== undefined) where.push(lt(messages.seq, params.before));
  if (params.after !== undefined) where.push(gt(messages.seq, params.after));
  const forward = params.after !== undefined;
  const rows = await db
    .select(withAuthor)
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(and(...where))
    .orderBy(forward ? asc(messages.seq) : desc(messages.seq))
    .limit(params.limit + 1);
  const hasMore = rows.length > params.limit;
  const page = rows.slice(0, params.limit);
  return { items: forward ? page : page.reverse(), hasMore };
}

/**
 * Moves a user's read position forward (never back). Returns the position now stored
 * and whether this call moved it.
 */
export async function advanceReadPosition(
  tx: DbOrTx,
  params: { ticketId: string; userId: string; seq: number },
): Promise<{ lastReadSeq: number; advanced: boolean }> {
  const { ticketId, userId, seq } = params;
  const [moved] = await tx
    .insert(ticketReads)
    .values({ ticketId, userId, lastReadSeq: seq })
    .onConflictDoUpdate({
      target: [ticketReads.ticketId, ticketReads.userId],
      set: { lastReadSeq: sql`excluded.last_read_seq`, updatedAt: sql`now()` },
      setWhere: sql`${ticketReads.lastReadSeq} < excluded.last_read_seq`,
    })
    .returning({ lastReadSeq: ticketReads.lastReadSeq });
  if (moved) return { lastReadSeq: moved.lastReadSeq, advanced: true };
  const [current] = await tx
    .select({ lastReadSeq: ticketReads.lastReadSeq })
    .from(ticketReads)
    .where(and(eq(ticketReads.ticketId, ticketId), eq(ticketReads.userId, userId)));
  return { lastReadSeq: current?.lastReadSeq ?? 0, advanced: false };
}

/**
 * How far "the other side" has read a ticket: for its customer, the furthest any agent
 * has read; for an agent, how far the customer has read. Drives "Seen" on first load.
 */
export async function othersReadSeq(
  db: DbOrTx,
  params: { ticketId: string; viewer: Viewer },
): Promise<number> {
  const { ticketId, viewer } = params;
  const result = await db.execute<{ seq: number | null }>(sql`
    select max(r.last_read_seq)::int as seq
    from ticket_reads r
    join tickets t on t.id = r.ticket_id
    join users u on u.id = r.user_id
    where r.ticket_id = ${ticketId}
      and ${isAgent(viewer) ? sql`r.user_id = t.customer_id` : sql`u.role <> 'customer'`}`);
  const seq = result.rows[0]?.seq ?? 0;
  // A customer learns how far an agent read only up to a message they can see: a
  // position on an internal note would reveal that the note exists.
  return isAgent(viewer) ? seq : lastPublicSeq(db, { ticketId, atMost: seq });
}

/** The highest public (non-internal) `seq` at or below `atMost` on a ticket, 0 if none. */
export async function lastPublicSeq(
  db: DbOrTx,
  params: { ticketId: string; atMost: number },
): Promise<number> {
  const { ticketId, atMost } = params;
  const [row] = await db
    .select({ seq: sql<number | null>`max(${messages.seq})::int` })
    .from(messages)
    .where(
      and(eq(messages.ticketId, ticketId), eq(messages.internal, false), lte(messages.seq, atMost)),
    );
  return row?.seq ?? 0;
}

/** One message by id, with its author's name. */
export async function getMessageById(
  db: DbOrTx,
  params: { id: string },
): Promise<MessageWithAuthor | undefined> {
  const [row] = await db
    .select(withAuthor)
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorId))
    .where(eq(messages.id, params.id))
    .limit(1);
  return row;
}
