import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  inboundMail,
  outgoingMail,
  tickets,
  type InboundMailRow,
  type NewInboundMail,
} from '../schema';

/**
 * Records a received mail as `processing`, or takes over the row of an earlier delivery
 * of the same Message-ID that `failed` (or was left `processing` by a dead process). Null: that Message-ID was (or is being) handled
 * already — a re-delivery, which adds nothing.
 */
export async function claimInboundMail(
  db: DbOrTx,
  mail: Omit<NewInboundMail, 'status' | 'id'>,
): Promise<InboundMailRow | null> {
  const [row] = await db
    .insert(inboundMail)
    .values({ ...mail, status: 'processing' })
    .onConflictDoUpdate({
      target: inboundMail.messageId,
      set: { status: 'processing', reason: null, receivedAt: sql`now()` },
      // A `processing` row this old belongs to a process that died mid-mail: the MX's
      // retry takes it over (client ids keep what that process added from doubling).
      setWhere: sql`${inboundMail.status} = 'failed' or (${inboundMail.status} = 'processing' and ${inboundMail.receivedAt} < now() - interval '10 minutes')`,
    })
    .returning();
  return row ?? null;
}

export type InboundMailOutcome = Pick<InboundMailRow, 'status' | 'reason'> &
  Partial<Pick<InboundMailRow, 'contactId' | 'ticketId' | 'messageRowId'>>;

/** What became of a claimed mail. */
export async function finishInboundMail(
  db: DbOrTx,
  params: { id: string } & InboundMailOutcome,
): Promise<void> {
  const { id, ...outcome } = params;
  await db
    .update(inboundMail)
    .set({ ...outcome, processedAt: sql`now()` })
    .where(eq(inboundMail.id, id));
}

export async function getInboundMail(
  db: DbOrTx,
  params: { messageId: string },
): Promise<InboundMailRow | undefined> {
  const [row] = await db
    .select()
    .from(inboundMail)
    .where(eq(inboundMail.messageId, params.messageId));
  return row;
}

/**
 * The tickets of the notification emails (`outgoing_mail`) whose Message-IDs are among
 * `messageIds`, with whom each was sent to: the thread an inbound reply answers.
 */
export async function ticketsOfSentMail(
  db: DbOrTx,
  params: { messageIds: string[] },
): Promise<Array<{ ticketId: string; userId: string | null }>> {
  if (params.messageIds.length === 0) return [];
  const rows = await db
    .selectDistinct({ ticketId: outgoingMail.ticketId, userId: outgoingMail.userId })
    .from(outgoingMail)
    .where(
      and(
        inArray(sql<string>`(${outgoingMail.headers}->>'Message-ID')`, params.messageIds),
        sql`${outgoingMail.ticketId} is not null`,
      ),
    );
  return rows.flatMap((row) =>
    row.ticketId ? [{ ticketId: row.ticketId, userId: row.userId }] : [],
  );
}

/** The tickets an inbound reply may join: whose they are and whether they are closed. */
export async function ticketsForInboundMail(
  db: DbOrTx,
  params: { ids: string[] },
): Promise<Array<Pick<typeof tickets.$inferSelect, 'id' | 'number' | 'customerId' | 'status'>>> {
  if (params.ids.length === 0) return [];
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      customerId: tickets.customerId,
      status: tickets.status,
    })
    .from(tickets)
    .where(inArray(tickets.id, params.ids));
}

const receivedMs = sql`date_trunc('milliseconds', ${inboundMail.receivedAt})`;

/** Received mail, newest first, a page after `before` (the last row of the previous page). */
export async function listInboundMail(
  db: DbOrTx,
  params: { limit: number; before: { receivedAt: Date; id: string } | null },
): Promise<InboundMailRow[]> {
  const { before } = params;
  return db
    .select()
    .from(inboundMail)
    .where(
      before
        ? sql`(${receivedMs}, ${inboundMail.id}) < (${before.receivedAt.toISOString()}::timestamptz, ${before.id}::uuid)`
        : undefined,
    )
    .orderBy(desc(receivedMs), desc(inboundMail.id))
    .limit(params.limit);
}
