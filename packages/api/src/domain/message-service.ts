import { systemText } from '@parley/contract';
import {
  advanceReadPosition,
  findMessageByClientId,
  hitRateLimitUnlessSent,
  isDuplicateMessageClientId,
  lastPublicSeq,
  listMessages,
  othersReadSeq,
  ticketChanged,
  transactionWritingAtCommit,
  writeIfTicketUnchanged,
  type AtCommit,
  type AttachmentRow,
  type Db,
  type DbOrTx,
  type LockedTicket,
  type TicketVersion,
  type MessageWithAuthor,
  type Status,
  type TicketRow,
  type Viewer,
  isAgent,
} from '@parley/db';
import { AppError, notFound } from '../errors';
import { assertWithinLimit, type RateLimits } from '../rate-limit';
import { ticketEvent } from './events';
import { afterReply, customerMayReply, customerSeesMove } from './lifecycle';
import { lockClaimableUploads } from './attachments';
import { messagesWithFiles, type Message } from './messages';
import { withLockedTicket } from './ticket-service';
import { asTicketWriter } from './ticket-writers';
import { composeReply, botTurn } from '../bot/engine';
import { isMessagingChannel } from '../channels/adapter';
import { assertFreeFormAllowed } from '../channels/window';
import { systemEntry, writeThreadChange, type FieldChanges, type ThreadEntry } from './thread';

export type SendDeps = {
  db: Db;
  limits: RateLimits;
  /** Whether agents are online (the bot's handoff says what to expect). */
  hub?: { staffConnected(): boolean };
  /** The ticket as the access check loaded it: the bot answers when it is `active`. */
  ticket?: TicketRow;
  /** That ticket's version as read: an unchanged ticket is written in one round trip. */
  ticketVersion?: TicketVersion;
};

export type SendMessageInput = {
  ticketId: string;
  body: string;
  clientId: string;
  internal?: boolean | undefined;
  status?: Status | undefined;
  /** The author's pending uploads to send with it. */
  attachmentIds?: string[] | undefined;
  /** An agent's WhatsApp template (the body is its text): allowed outside the 24-hour window. */
  template?: NonNullable<ThreadEntry['metadata']>['template'];
};

/**
 * Adds a reply (or, for agents, an internal note) to a ticket and applies the
 * lifecycle rules. Idempotent on (author, clientId): a retry, or a concurrent
 * duplicate, gets the message the first attempt stored, never a second row.
 */
export async function sendMessage(
  { db, limits, hub, ticket: seen, ticketVersion: version }: SendDeps,
  actor: Viewer,
  input: SendMessageInput,
): Promise<Message> {
  // Customers' internal notes and status changes are refused by the procedure.
  const byAgent = isAgent(actor);
  // A retry of a stored message is answered with it and not counted against the limit.
  const before = await hitRateLimitUnlessSent(db, {
    key: `messages:user:${actor.id}`,
    windowSeconds: limits.messagesPerUser.windowSeconds,
    authorId: actor.id,
    clientId: input.clientId,
  });
  if (before.sent) {
    const earlier = await findMessageByClientId(db, {
      authorId: actor.id,
      clientId: input.clientId,
    });
    if (earlier) return replay(db, earlier, actor, input.ticketId);
  } else {
    assertWithinLimit(before.hit, limits.messagesPerUser);
  }
  if (byAgent && !input.internal && seen && !input.template) await assertFreeFormAllowed(db, seen);
  // The bot's answer is worked out before the lock (it reads the answers and articles);
  // it is written with the visitor's message only if the bot still has the chat then.
  const agentsOnline = hub?.staffConnected() ?? false;
  const botReply =
    // A message of files only gets no answer (nor a failure).
    !byAgent && seen?.botState === 'active' && input.body.trim()
      ? await composeReply(db, input.body, agentsOnline)
      : null;

  const write = (tx: DbOrTx, locked: LockedTicket, atCommit: AtCommit, files: AttachmentRow[]) => {
    const { ticket, now } = locked;
    if (!byAgent && !customerMayReply(ticket.status)) {
      throw new AppError('CONFLICT', 'This ticket is closed. Reopen it to reply.');
    }
    const internal = byAgent && input.internal === true;
    const fields: FieldChanges = afterReply(
      ticket,
      byAgent
        ? { by: 'agent', internal, ...(input.status ? { status: input.status } : {}) }
        : { by: 'customer' },
      now,
    );
    const bot = botReply ? botTurn(locked, botReply, agentsOnline) : null;
    // An agent's public reply takes the chat over from the bot.
    if (byAgent && !internal && ticket.botState === 'active') {
      fields.botState = 'handed_off';
      fields.handedOffAt = now;
    }
    const entries: ThreadEntry[] = [
      {
        authorId: actor.id,
        authorName: actor.name,
        authorRole: byAgent ? 'agent' : 'customer',
        body: input.body,
        internal,
        clientId: input.clientId,
        attachments: files,
        ...(input.template ? { metadata: { suggestions: [], template: input.template } } : {}),
      },
    ];
    if (fields.status) {
      const agentsOnly = !customerSeesMove(ticket.status, fields.status);
      entries.push(systemEntry(actor, systemText.status(fields.status, actor.name), agentsOnly));
    }
    if (bot) entries.push(...bot.entries);
    const { messages } = writeThreadChange(tx, atCommit, {
      locked,
      entries,
      fields: { ...fields, ...bot?.fields },
      agentResponse: byAgent && !internal,
    });
    const [message] = messages;
    if (!message) throw new Error('message insert returned nothing');
    return message;
  };

  try {
    return await asTicketWriter(input.ticketId, async (alone) => {
      // A plain message (no files to lock) is computed from the ticket as the access check
      // read it and written in one round trip, unless the ticket changed since then. A
      // refusal is only ever decided on the locked row (a closed ticket may be reopening).
      const plain = !input.attachmentIds?.length;
      if (alone && seen && version && plain && (byAgent || customerMayReply(seen.status))) {
        const locked = { ticket: seen, now: version.readAt };
        const sent = await writeIfTicketUnchanged(db, version, (handle, atCommit) =>
          write(handle, locked, atCommit, []),
        );
        if (sent !== ticketChanged) return sent;
      }
      return withLockedTicket(db, input.ticketId, async (tx, locked, atCommit) =>
        write(tx, locked, atCommit, await lockClaimableUploads(tx, actor, input.attachmentIds)),
      );
    });
  } catch (error) {
    if (!isDuplicateMessageClientId(error)) throw error;
    // A concurrent duplicate committed first (we waited on the ticket lock, or on
    // its unique key): answer with the stored message.
    const stored = await findMessageByClientId(db, {
      authorId: actor.id,
      clientId: input.clientId,
    });
    if (!stored) throw error;
    return replay(db, stored, actor, input.ticketId);
  }
}

/** The stored answer to a repeated send, as long as it is the same ticket and still visible. */
async function replay(
  db: Db,
  stored: MessageWithAuthor,
  actor: Viewer,
  ticketId: string,
): Promise<Message> {
  if (stored.internal && !isAgent(actor)) throw notFound('Message');
  if (stored.ticketId !== ticketId) {
    throw new AppError('CONFLICT', 'This clientId was already used for another message', {
      fieldErrors: { clientId: ['Already used for another message'] },
    });
  }
  const [message] = await messagesWithFiles(db, [stored]);
  if (!message) throw new Error('no message');
  return message;
}

export type ListThreadInput = {
  ticketId: string;
  before?: number | undefined;
  after?: number | undefined;
  limit: number;
};

/** A page of a thread the actor may see; customers never get internal notes. */
export async function listThread(
  db: Db,
  actor: Viewer,
  ticket: Pick<TicketRow, 'channel'>,
  input: ListThreadInput,
) {
  const page = await listMessages(db, {
    ticketId: input.ticketId,
    includeInternal: isAgent(actor),
    ...(input.before !== undefined ? { before: input.before } : {}),
    ...(input.after !== undefined ? { after: input.after } : {}),
    limit: input.limit,
  });
  // Only the newest page needs it (that is where "Seen" can show when a thread opens).
  const newestPage = input.before === undefined && input.after === undefined;
  return {
    items: await messagesWithFiles(db, page.items, {
      withDelivery: isAgent(actor) && isMessagingChannel(ticket.channel),
    }),
    hasMore: page.hasMore,
    /** How far the other side has read (agents for a customer, the customer for agents). */
    othersReadSeq: newestPage
      ? await othersReadSeq(db, { ticketId: input.ticketId, viewer: actor })
      : null,
  };
}

/**
 * Moves the actor's read position forward (never back, never past the thread's last
 * message) and, when it moved, logs a `message.read` event.
 */
export async function markRead(
  db: Db,
  actor: Viewer,
  ticket: TicketRow,
  seq: number,
): Promise<{ lastReadSeq: number }> {
  return transactionWritingAtCommit(db, async (tx, atCommit) => {
    const byAgent = isAgent(actor);
    // Never past the last message the reader may see: for a customer, the last public one
    // (echoing `ticket.lastSeq` would reveal internal notes after it).
    const target = byAgent
      ? Math.min(seq, ticket.lastSeq)
      : await lastPublicSeq(tx, { ticketId: ticket.id, atMost: Math.min(seq, ticket.lastSeq) });
    const { lastReadSeq, advanced } = await advanceReadPosition(tx, {
      ticketId: ticket.id,
      userId: actor.id,
      seq: target,
    });
    if (advanced && lastReadSeq > 0) {
      const read = (seq: number) => ({ userId: actor.id, role: actor.role, seq });
      // The customer hears of an agent's read only up to a public message; agents get the
      // exact position too when it lies on an internal note.
      const publicSeq = byAgent
        ? await lastPublicSeq(tx, { ticketId: ticket.id, atMost: lastReadSeq })
        : lastReadSeq;
      atCommit.log([
        ...(publicSeq > 0 ? [ticketEvent(ticket, 'message.read', read(publicSeq))] : []),
        ...(publicSeq < lastReadSeq
          ? [ticketEvent(ticket, 'message.read', read(lastReadSeq), 'agents')]
          : []),
      ]);
    }
    return { lastReadSeq };
  });
}
