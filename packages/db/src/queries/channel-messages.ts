import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  channelMessages,
  channelOptOuts,
  messages,
  tickets,
  users,
  type Channel,
  type ChannelMessageRow,
  type TicketRow,
  type UserRow,
} from '../schema';

/**
 * The address a contact known only by phone gets in the (unique, required) email
 * column: in the `.invalid` top-level domain, which RFC 2606 reserves, so no mail is
 * ever sent to it (the notification planner skips such addresses).
 */
export function phoneContactEmail(e164: string): string {
  return `phone-${e164.replace(/\D/g, '')}@contacts.invalid`;
}

/** Whether an address is one `phoneContactEmail` made (mail to it is never sent). */
export function isPlaceholderEmail(email: string): boolean {
  return email.endsWith('.invalid');
}

/**
 * The contact a WhatsApp or SMS number writes as: the one this channel made for the
 * number (by its placeholder address), or a new one with the name the provider gave
 * (the number when it gave none). Never an account or a chat contact that merely has the
 * number in `phone`: anyone can type a number into the chat's pre-chat form, and would
 * then be mailed the number's conversations.
 */
export async function findOrInsertPhoneContact(
  db: DbOrTx,
  params: { phone: string; name: string | null },
): Promise<UserRow> {
  const email = phoneContactEmail(params.phone);
  const [known] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (known) return known;
  const [inserted] = await db
    .insert(users)
    .values({
      email,
      name: params.name?.trim().slice(0, 100) || params.phone,
      role: 'customer',
      passwordHash: null,
      phone: params.phone,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [existing] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!existing) throw new Error('phone contact vanished after a conflicting insert');
  return existing;
}

/** The contact's newest ticket on a channel. */
export async function latestChannelTicket(
  db: DbOrTx,
  params: { customerId: string; channel: Channel },
): Promise<TicketRow | undefined> {
  const [row] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.customerId, params.customerId), eq(tickets.channel, params.channel)))
    .orderBy(desc(tickets.createdAt))
    .limit(1);
  return row;
}

/** Whether a provider message was already taken in (a provider's retry). */
export async function channelMessageExists(
  db: DbOrTx,
  params: { channel: Channel; providerMessageId: string },
): Promise<boolean> {
  const [row] = await db
    .select({ id: channelMessages.id })
    .from(channelMessages)
    .where(
      and(
        eq(channelMessages.channel, params.channel),
        eq(channelMessages.providerMessageId, params.providerMessageId),
      ),
    )
    .limit(1);
  return row !== undefined;
}

export type NewChannelMessage = {
  ticketId: string;
  messageId: string | null;
  channel: Channel;
  direction: 'in' | 'out';
  providerMessageId: string;
  status: string;
  error?: string | null;
  /** An outbound part recorded while its message is still being sent (see the schema). */
  pendingPart?: number | null;
};

/** Records provider messages; one already recorded (same channel and id) is left as it is. */
export async function recordChannelMessages(db: DbOrTx, rows: NewChannelMessage[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(channelMessages).values(rows).onConflictDoNothing();
}

/** When the contact last wrote on this ticket's channel (WhatsApp's 24-hour window). */
export async function lastInboundAt(
  db: DbOrTx,
  params: { ticketId: string },
): Promise<Date | null> {
  const [row] = await db
    .select({ at: channelMessages.createdAt })
    .from(channelMessages)
    .where(and(eq(channelMessages.ticketId, params.ticketId), eq(channelMessages.direction, 'in')))
    .orderBy(desc(channelMessages.createdAt))
    .limit(1);
  return row?.at ?? null;
}

const statusRank: Record<string, number> = { sent: 1, delivered: 2, read: 3, failed: 4 };

export type DeliveryChange = ChannelMessageRow & { seq: number | null; ticket: TicketRow };

/**
 * Moves an outbound message's status forward (sent → delivered → read; failed from
 * anywhere but read); a callback that would move it back (they arrive out of order) or
 * names an unknown message changes nothing and answers undefined.
 */
export async function advanceDeliveryStatus(
  db: DbOrTx,
  params: { channel: Channel; providerMessageId: string; status: string; error: string | null },
): Promise<DeliveryChange | undefined> {
  const rank = statusRank[params.status];
  if (rank === undefined) return undefined;
  const [row] = await db
    .update(channelMessages)
    .set({ status: params.status, error: params.error, updatedAt: sql`now()` })
    .where(
      and(
        eq(channelMessages.channel, params.channel),
        eq(channelMessages.providerMessageId, params.providerMessageId),
        eq(channelMessages.direction, 'out'),
        sql`(case ${channelMessages.status} when 'sent' then 1 when 'delivered' then 2
              when 'read' then 3 when 'failed' then 4 else 0 end) < ${rank}`,
        params.status === 'failed' ? sql`${channelMessages.status} <> 'read'` : sql`true`,
      ),
    )
    .returning();
  if (!row) return undefined;
  const [ticket] = await db.select().from(tickets).where(eq(tickets.id, row.ticketId));
  if (!ticket) return undefined;
  const seq = row.messageId
    ? ((
        await db.select({ seq: messages.seq }).from(messages).where(eq(messages.id, row.messageId))
      )[0]?.seq ?? null)
    : null;
  return { ...row, seq, ticket };
}

export type MessageDeliveryRow = {
  messageId: string;
  channel: Channel;
  status: string;
  error: string | null;
};

/**
 * How far each of these messages got over its channel: of several provider messages
 * for one Parley message, the least advanced (a failure first). A message whose send has
 * not finished (parts pending) has none yet.
 */
export async function deliveriesOfMessages(
  db: DbOrTx,
  messageIds: string[],
): Promise<MessageDeliveryRow[]> {
  if (messageIds.length === 0) return [];
  const rows = await db
    .select({
      messageId: channelMessages.messageId,
      channel: channelMessages.channel,
      status: channelMessages.status,
      error: channelMessages.error,
    })
    .from(channelMessages)
    .where(
      and(
        inArray(channelMessages.messageId, messageIds),
        eq(channelMessages.direction, 'out'),
        // A message still being sent has no delivery to show yet.
        isNull(channelMessages.pendingPart),
      ),
    );
  const least = new Map<string, MessageDeliveryRow>();
  const order = (status: string) => (status === 'failed' ? -1 : (statusRank[status] ?? 0));
  for (const row of rows) {
    if (!row.messageId) continue;
    const seen = least.get(row.messageId);
    if (!seen || order(row.status) < order(seen.status)) {
      least.set(row.messageId, { ...row, messageId: row.messageId });
    }
  }
  return [...least.values()];
}

export async function setOptOut(
  db: DbOrTx,
  params: { channel: Channel; address: string; optedOut: boolean },
): Promise<void> {
  if (params.optedOut) {
    await db
      .insert(channelOptOuts)
      .values({ channel: params.channel, address: params.address })
      .onConflictDoNothing();
  } else {
    await db
      .delete(channelOptOuts)
      .where(
        and(eq(channelOptOuts.channel, params.channel), eq(channelOptOuts.address, params.address)),
      );
  }
}

export async function isOptedOut(
  db: DbOrTx,
  params: { channel: Channel; address: string },
): Promise<boolean> {
  const [row] = await db
    .select({ address: channelOptOuts.address })
    .from(channelOptOuts)
    .where(
      and(eq(channelOptOuts.channel, params.channel), eq(channelOptOuts.address, params.address)),
    )
    .limit(1);
  return row !== undefined;
}

/** Tickets' channels, for the outbound planner. */
export async function channelsOfTickets(
  db: DbOrTx,
  ticketIds: string[],
): Promise<Map<string, Channel>> {
  if (ticketIds.length === 0) return new Map();
  const rows = await db
    .select({ id: tickets.id, channel: tickets.channel })
    .from(tickets)
    .where(inArray(tickets.id, ticketIds));
  return new Map(rows.map((row) => [row.id, row.channel]));
}

/** A ticket by id, whoever asks (the delivery engine's jobs). */
export async function getTicketRow(
  db: DbOrTx,
  params: { id: string },
): Promise<TicketRow | undefined> {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, params.id)).limit(1);
  return row;
}

/**
 * Where the send of one of Parley's messages over its channel got to: `finished` once it
 * was sent whole or given up on (nothing more to do), else the indexes of the parts an
 * earlier try sent (a retry skips them).
 */
export async function outboundProgress(
  db: DbOrTx,
  params: { messageId: string },
): Promise<{ finished: boolean; sentParts: number[] }> {
  const rows = await db
    .select({ pendingPart: channelMessages.pendingPart })
    .from(channelMessages)
    .where(
      and(eq(channelMessages.messageId, params.messageId), eq(channelMessages.direction, 'out')),
    );
  const sentParts = rows.flatMap((row) => (row.pendingPart === null ? [] : [row.pendingPart]));
  return { finished: rows.length > sentParts.length, sentParts };
}

/**
 * Ends a send that was recorded part by part: its parts stop being pending (the
 * message is finished, and its delivery shows).
 */
export async function finishPendingParts(db: DbOrTx, params: { messageId: string }): Promise<void> {
  await db
    .update(channelMessages)
    .set({ pendingPart: null })
    .where(
      and(
        eq(channelMessages.messageId, params.messageId),
        eq(channelMessages.direction, 'out'),
        isNotNull(channelMessages.pendingPart),
      ),
    );
}
