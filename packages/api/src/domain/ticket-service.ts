import { systemText } from '@parley/contract';
import {
  claimAttachments,
  findTicketByClientId,
  getUserById,
  insertTicket,
  isAgent,
  lockTicket,
  transactionWritingAtCommit,
  updateTicketRow,
  type Category,
  type Db,
  type LockedTicket,
  type NewTicket,
  type AtCommit,
  type Priority,
  type Status,
  type Tx,
  type Viewer,
} from '@parley/db';
import { AppError, notFound } from '../errors';
import { consumeRateLimit, type RateLimits } from '../rate-limit';
import { lockClaimableUploads } from './attachments';
import { ticketEvent } from './events';
import { customerSeesMove, mayClose, mayRate, mayReopen, moveTo } from './lifecycle';
import { systemEntry, writeThreadChange, type FieldChanges, type ThreadEntry } from './thread';
import { newTicketSummary } from './tickets';

type Deps = { db: Db; limits: RateLimits };

/**
 * The locked variant of the ticket-access check: runs `fn` in a transaction holding the
 * row lock of a ticket the caller was already allowed to see (the `onTicket` procedures
 * load it first), with the ticket as it is under the lock. The events `fn` logs are
 * written with the COMMIT.
 */
export async function withLockedTicket<T>(
  db: Db,
  ticketId: string,
  fn: (tx: Tx, locked: LockedTicket, atCommit: AtCommit) => Promise<T>,
): Promise<T> {
  return transactionWritingAtCommit(db, async (tx, atCommit) => {
    const locked = await lockTicket(tx, { ticketId });
    if (!locked) throw notFound();
    return fn(tx, locked, atCommit);
  });
}

export type CreateTicketInput = {
  subject: string;
  description: string;
  category: Category;
  priority: Priority;
  orderRef?: string | undefined;
  clientId?: string | undefined;
  customerId?: string | undefined;
  /** The actor's pending uploads, for the description. */
  attachmentIds?: string[] | undefined;
  /** Where it came from, when not the portal (a widget chat: its widget, guest session, page). */
  origin?: Pick<
    NewTicket,
    'channel' | 'widgetId' | 'guestSessionId' | 'pageUrl' | 'userAgent' | 'country' | 'botState'
  >;
  /**
   * Written in the ticket's own transaction, after it (the bot's first reply): messages
   * and fields for the new ticket, or null.
   */
  firstReply?: (locked: LockedTicket) => { entries: ThreadEntry[]; fields: FieldChanges } | null;
};

/**
 * Opens a ticket: customers for themselves, agents on behalf of a named customer.
 * Idempotent on (customer, clientId). Returns the ticket's id.
 */
export async function createTicket(
  { db, limits }: Deps,
  actor: Viewer,
  input: CreateTicketInput,
): Promise<string> {
  const customer = await ticketCustomer(db, actor, input.customerId);
  if (input.clientId) {
    const existing = await findTicketByClientId(db, {
      customerId: customer.id,
      clientId: input.clientId,
    });
    if (existing) return existing.id;
  }
  await consumeRateLimit(db, `tickets:user:${actor.id}`, limits.ticketsPerUser);
  const createdId = await transactionWritingAtCommit(db, async (tx, atCommit) => {
    const files = await lockClaimableUploads(tx, actor, input.attachmentIds);
    const row = await insertTicket(tx, {
      subject: input.subject,
      description: input.description,
      category: input.category,
      priority: input.priority,
      orderRef: input.orderRef || null,
      customerId: customer.id,
      clientId: input.clientId ?? null,
      ...input.origin,
    });
    if (!row) return undefined;
    if (files.length) {
      const ids = files.map((file) => file.id);
      atCommit.write(claimAttachments(tx, { ids, ticketId: row.id, messageId: null }));
    }
    atCommit.log([ticketEvent(row, 'ticket.created', newTicketSummary(row, customer.name))]);
    const reply = input.firstReply?.({ ticket: row, now: row.createdAt });
    if (reply)
      writeThreadChange(tx, atCommit, { locked: { ticket: row, now: row.createdAt }, ...reply });
    return row.id;
  });
  if (createdId) return createdId;
  // A concurrent create with the same clientId won: answer with its ticket.
  const winner = input.clientId
    ? await findTicketByClientId(db, { customerId: customer.id, clientId: input.clientId })
    : undefined;
  if (!winner) throw new Error('ticket insert conflicted without a clientId');
  return winner.id;
}

async function ticketCustomer(db: Db, actor: Viewer, customerId: string | undefined) {
  if (!isAgent(actor)) {
    if (customerId !== undefined) {
      throw new AppError('FORBIDDEN', 'Customers open tickets for themselves only');
    }
    return { id: actor.id, name: actor.name };
  }
  if (!customerId) {
    throw new AppError('BAD_REQUEST', 'Choose the customer this ticket is for', {
      fieldErrors: { customerId: ['Choose the customer this ticket is for'] },
    });
  }
  const customer = await getUserById(db, { id: customerId });
  if (!customer || customer.role !== 'customer' || customer.disabledAt) {
    throw new AppError('BAD_REQUEST', 'No such customer', {
      fieldErrors: { customerId: ['No such customer'] },
    });
  }
  return { id: customer.id, name: customer.name };
}

export type UpdateTicketInput = {
  ticketId: string;
  status?: Status | undefined;
  priority?: Priority | undefined;
  category?: Category | undefined;
  assigneeId?: string | null | undefined;
};

/**
 * An agent (the `ticketAgent` policy) changes status, priority, category or assignee.
 * Each change adds a system message to the thread; nothing changes, nothing is written.
 */
export async function updateTicket(db: Db, actor: Viewer, input: UpdateTicketInput): Promise<void> {
  await withLockedTicket(db, input.ticketId, async (tx, locked, atCommit) => {
    const { ticket, now } = locked;
    const fields: FieldChanges = {};
    const entries: ThreadEntry[] = [];
    let assigneeName: string | undefined;

    if (input.assigneeId !== undefined && input.assigneeId !== ticket.assigneeId) {
      if (input.assigneeId === null) {
        const previous = ticket.assigneeId
          ? await getUserById(tx, { id: ticket.assigneeId })
          : undefined;
        fields.assigneeId = null;
        const by = previous?.id === actor.id ? undefined : actor.name;
        entries.push(systemEntry(actor, systemText.left(previous?.name ?? 'The assignee', by)));
      } else {
        const agent = await getUserById(tx, { id: input.assigneeId });
        if (!agent || agent.role === 'customer' || agent.disabledAt) {
          throw new AppError('BAD_REQUEST', 'Choose an active agent', {
            fieldErrors: { assigneeId: ['Choose an active agent'] },
          });
        }
        fields.assigneeId = agent.id;
        assigneeName = agent.name;
        const by = agent.id === actor.id ? undefined : actor.name;
        entries.push(systemEntry(actor, systemText.joined(agent.name, by)));
      }
    }
    if (input.status && input.status !== ticket.status) {
      Object.assign(fields, moveTo(ticket, input.status, now));
      const agentsOnly = !customerSeesMove(ticket.status, input.status);
      entries.push(systemEntry(actor, systemText.status(input.status, actor.name), agentsOnly));
    }
    // Priority and category are the team's triage: their lines are for agents only.
    if (input.priority && input.priority !== ticket.priority) {
      fields.priority = input.priority;
      entries.push(systemEntry(actor, systemText.priority(input.priority, actor.name), true));
    }
    if (input.category && input.category !== ticket.category) {
      fields.category = input.category;
      entries.push(systemEntry(actor, systemText.category(input.category, actor.name), true));
    }
    if (entries.length === 0) return;
    writeThreadChange(tx, atCommit, {
      locked,
      entries,
      fields,
      ...(assigneeName ? { assigneeName } : {}),
    });
  });
}

/** Counts one close, reopen or rate against the actor's limit. */
function consumeTicketAction({ db, limits }: Deps, actor: Viewer): Promise<void> {
  return consumeRateLimit(db, `ticket-actions:user:${actor.id}`, limits.ticketActionsPerUser);
}

/** Moves a ticket to `to` with its system message; `allowed` guards the current status. */
async function moveStatus(
  deps: Deps,
  actor: Viewer,
  ticketId: string,
  to: Status,
  allowed: (status: Status) => boolean,
  refusal: string,
): Promise<void> {
  await consumeTicketAction(deps, actor);
  await withLockedTicket(deps.db, ticketId, async (tx, locked, atCommit) => {
    if (!allowed(locked.ticket.status)) throw new AppError('CONFLICT', refusal);
    writeThreadChange(tx, atCommit, {
      locked,
      entries: [
        systemEntry(
          actor,
          systemText.status(to, actor.name),
          !customerSeesMove(locked.ticket.status, to),
        ),
      ],
      fields: moveTo(locked.ticket, to, locked.now),
    });
  });
}

/** The customer or an agent closes a ticket (from any status but closed). */
export function closeTicket(deps: Deps, actor: Viewer, ticketId: string): Promise<void> {
  return moveStatus(deps, actor, ticketId, 'closed', mayClose, 'This ticket is already closed');
}

/** The customer or an agent reopens a resolved or closed ticket. */
export function reopenTicket(deps: Deps, actor: Viewer, ticketId: string): Promise<void> {
  return moveStatus(
    deps,
    actor,
    ticketId,
    'open',
    mayReopen,
    'Only a resolved or closed ticket can be reopened',
  );
}

export type RateTicketInput = { ticketId: string; score: number; comment?: string | undefined };

/**
 * The ticket's customer (the `ticketOwner` policy) rates it once it is resolved or
 * closed; rating again replaces the rating.
 */
export async function rateTicket(deps: Deps, actor: Viewer, input: RateTicketInput): Promise<void> {
  await consumeTicketAction(deps, actor);
  await withLockedTicket(deps.db, input.ticketId, async (tx, { ticket, now }, atCommit) => {
    if (!mayRate(ticket.status)) {
      throw new AppError('CONFLICT', 'A ticket can be rated once it is resolved or closed');
    }
    await updateTicketRow(tx, {
      ticketId: ticket.id,
      changes: {
        ratingScore: input.score,
        ratingComment: input.comment || null,
        ratedAt: now,
        updatedAt: now,
        publicUpdatedAt: now,
      },
    });
    atCommit.log([ticketEvent(ticket, 'ticket.rated', { score: input.score })]);
  });
}
