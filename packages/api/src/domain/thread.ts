import { randomUUID } from 'node:crypto';
import {
  claimAttachments,
  queueThreadWrite,
  type AttachmentRow,
  type AtCommit,
  type AuthorRole,
  type BotState,
  type Category,
  type LockedTicket,
  type MessageRow,
  type NewEvent,
  type Priority,
  type TicketChanges,
  type TicketRow,
  type DbOrTx,
} from '@parley/db';
import { ticketEvent, type TicketUpdatedData } from './events';
import { isFinished, type MessageMetadata } from '@parley/contract';
import type { StatusFields } from './lifecycle';
import { toMessage, type Message } from './messages';

/** A message to add to a thread; `seq` and time come from the locked ticket. */
export type ThreadEntry = {
  authorId: string | null;
  authorName: string | null;
  authorRole: AuthorRole;
  body: string;
  internal: boolean;
  clientId: string | null;
  /** Pending uploads of the author, locked (`lockPendingAttachments`): claimed by this message. */
  attachments?: AttachmentRow[];
  /** The bot's chips and source article. */
  metadata?: MessageMetadata | null;
};

export type FieldChanges = StatusFields & {
  priority?: Priority;
  category?: Category;
  assigneeId?: string | null;
  /** The bot's hold on a widget chat (changed by its replies, a handoff, an agent's reply). */
  botState?: BotState;
  botFailures?: number;
  handedOffAt?: Date | null;
};

/**
 * A system message describing a change made by `actor` (null: by Parley itself).
 * `agentsOnly` lines are stored as internal, so every path a customer reads (the
 * thread, events, counts, previews, read positions) leaves them out like a note.
 */
export function systemEntry(
  actor: { id: string; name: string } | null,
  body: string,
  agentsOnly = false,
): ThreadEntry {
  return {
    authorId: actor?.id ?? null,
    authorName: actor?.name ?? null,
    authorRole: 'system',
    body,
    internal: agentsOnly,
    clientId: null,
  };
}

/** The fields that withdraw a ticket's rating: it rated a resolution the reopen undid. */
function ratingWithdrawn(ticket: TicketRow, fields: FieldChanges): TicketChanges {
  const reopened = fields.status !== undefined && !isFinished(fields.status);
  return reopened && ticket.ratingScore !== null
    ? { ratingScore: null, ratingComment: null, ratedAt: null }
    : {};
}

export type ThreadChange = {
  locked: LockedTicket;
  /** In thread order: a reply first, then the system messages describing changes. */
  entries: ThreadEntry[];
  fields: FieldChanges;
  /** The new assignee's name, when `fields.assigneeId` names one. */
  assigneeName?: string;
  /** The change is an agent's public reply (counted in `responseCount`). */
  agentResponse?: boolean;
  /** Further events (e.g. `ticket.rated`), logged after the messages'. */
  extraEvents?: NewEvent[];
};

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

/**
 * Writes one change to a locked ticket with the transaction's COMMIT: its new messages
 * (with the next `seq` values), its fields and counters, its search vectors, and its
 * events. When a message's (author, clientId) already exists, the COMMIT fails with a
 * unique violation (`isDuplicateMessageClientId`) and nothing is written.
 */
export function writeThreadChange(
  tx: DbOrTx,
  atCommit: AtCommit,
  change: ThreadChange,
): { messages: Message[] } {
  const { ticket, now } = change.locked;
  const fields = Object.fromEntries(
    Object.entries(change.fields).filter(
      ([key, value]) => value !== undefined && !sameValue(ticket[key as keyof TicketRow], value),
    ),
  ) as FieldChanges;

  const rows: MessageRow[] = change.entries.map((entry, i) => ({
    id: randomUUID(),
    ticketId: ticket.id,
    seq: ticket.lastSeq + i + 1,
    authorId: entry.authorId,
    authorRole: entry.authorRole,
    body: entry.body,
    internal: entry.internal,
    clientId: entry.clientId,
    createdAt: now,
    metadata: entry.metadata ?? null,
  }));
  const messages = rows.map((row, i) =>
    toMessage(row, change.entries[i]?.authorName ?? null, change.entries[i]?.attachments),
  );

  const publicCount = rows.filter((m) => !m.internal).length;
  // The counts are of messages people wrote: system lines are not counted (nor searched).
  const written = rows.filter((m) => m.authorRole !== 'system');
  const fieldsChanged = Object.keys(fields).length > 0;
  const counters: TicketChanges = rows.length
    ? {
        lastSeq: ticket.lastSeq + rows.length,
        messageCount: ticket.messageCount + written.length,
        publicMessageCount: ticket.publicMessageCount + written.filter((m) => !m.internal).length,
        lastMessageAt: now,
        ...(publicCount ? { lastPublicMessageAt: now } : {}),
      }
    : {};
  const rating = ratingWithdrawn(ticket, fields);
  queueThreadWrite({
    atCommit,
    write: {
      ticketId: ticket.id,
      messages: rows,
      changes: {
        ...fields,
        ...rating,
        ...counters,
        ...(change.agentResponse ? { responseCount: ticket.responseCount + 1 } : {}),
        updatedAt: now,
        // A customer's "updated" ignores internal notes: their list never moves for a hidden reason.
        ...(publicCount || fieldsChanged || change.extraEvents?.length
          ? { publicUpdatedAt: now }
          : {}),
      },
      search: {
        publicText: written.filter((m) => !m.internal).map((m) => m.body),
        internalText: written.filter((m) => m.internal).map((m) => m.body),
      },
    },
  });
  // After the messages' insert (queued above): the files point at their message.
  rows.forEach((row, i) => {
    const files = change.entries[i]?.attachments ?? [];
    if (files.length) {
      atCommit.write(
        claimAttachments(tx, {
          ids: files.map((file) => file.id),
          ticketId: ticket.id,
          messageId: row.id,
        }),
      );
    }
  });
  const events: NewEvent[] = messages.map((message) =>
    ticketEvent(ticket, 'message.created', message, message.internal ? 'agents' : 'all'),
  );
  if (fieldsChanged) {
    const data = updatedData(fields, change, now);
    if ('ratingScore' in rating) data.rating = null;
    events.push(ticketEvent(ticket, 'ticket.updated', data));
  }
  events.push(...(change.extraEvents ?? []));
  atCommit.log(events);
  return { messages };
}

function updatedData(fields: FieldChanges, change: ThreadChange, now: Date): TicketUpdatedData {
  const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
  const data: TicketUpdatedData = { updatedAt: now.toISOString() };
  if (fields.status !== undefined) data.status = fields.status;
  if (fields.priority !== undefined) data.priority = fields.priority;
  if (fields.category !== undefined) data.category = fields.category;
  if (fields.assigneeId !== undefined) {
    data.assignee = fields.assigneeId
      ? { id: fields.assigneeId, name: change.assigneeName ?? '' }
      : null;
  }
  if ('firstResponseAt' in fields) data.firstResponseAt = iso(fields.firstResponseAt);
  if ('resolvedAt' in fields) data.resolvedAt = iso(fields.resolvedAt);
  if ('closedAt' in fields) data.closedAt = iso(fields.closedAt);
  return data;
}
