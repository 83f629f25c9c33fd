import { isFinished, type Status } from '@parley/contract';
import type { TicketRow } from '@parley/db';

/**
 * The ticket lifecycle as pure functions (no I/O), so each rule is unit-tested and
 * every procedure and the auto-close job apply the same ones.
 *
 *   open → in_progress → waiting_customer → resolved → closed
 */
export type LifecycleTicket = Pick<
  TicketRow,
  'status' | 'assigneeId' | 'firstResponseAt' | 'resolvedAt' | 'closedAt'
>;

export type StatusFields = Partial<
  Pick<TicketRow, 'status' | 'resolvedAt' | 'closedAt' | 'firstResponseAt'>
>;

/** A resolved ticket closes by itself after this many days without a customer reply. */
export const defaultAutoCloseDays = 7;

/**
 * The fields a move to `to` sets: resolving stamps `resolvedAt`; closing stamps
 * `closedAt` (and `resolvedAt`, when the ticket was closed without being resolved
 * first); moving back to an active status clears both. No move, no fields.
 */
export function moveTo(ticket: LifecycleTicket, to: Status, now: Date): StatusFields {
  if (ticket.status === to) return {};
  switch (to) {
    case 'resolved':
      return { status: to, resolvedAt: now, closedAt: null };
    case 'closed':
      return { status: to, closedAt: now, resolvedAt: ticket.resolvedAt ?? now };
    default:
      return { status: to, resolvedAt: null, closedAt: null };
  }
}

/** Where a customer's reply sends a ticket that was waiting on them or resolved. */
export function reopenedStatus(ticket: LifecycleTicket): Status {
  return ticket.assigneeId ? 'in_progress' : 'open';
}

export type Reply =
  | { by: 'customer' }
  | {
      by: 'agent';
      internal: boolean;
      /** An explicit choice wins over the automatic move. */ status?: Status;
    };

/**
 * What a new message does to its ticket:
 * - an agent's first public reply stamps `firstResponseAt`;
 * - a public agent reply moves an open or in-progress ticket to `waiting_customer`,
 *   unless the agent picked a status with it (which then applies, also with a note);
 * - a customer reply moves a `waiting_customer` or `resolved` ticket back to `open`,
 *   or to `in_progress` when someone is assigned.
 */
export function afterReply(ticket: LifecycleTicket, reply: Reply, now: Date): StatusFields {
  if (reply.by === 'customer') {
    return ticket.status === 'waiting_customer' || ticket.status === 'resolved'
      ? moveTo(ticket, reopenedStatus(ticket), now)
      : {};
  }
  const fields: StatusFields = {};
  if (!reply.internal && ticket.firstResponseAt === null) fields.firstResponseAt = now;
  const automatic =
    !reply.internal && (ticket.status === 'open' || ticket.status === 'in_progress')
      ? 'waiting_customer'
      : undefined;
  const target = reply.status ?? automatic;
  return target ? { ...fields, ...moveTo(ticket, target, now) } : fields;
}

/** Customers reply until their ticket is closed; then they reopen it first. */
export function customerMayReply(status: Status): boolean {
  return status !== 'closed';
}

export function mayReopen(status: Status): boolean {
  return status === 'resolved' || status === 'closed';
}

export function mayClose(status: Status): boolean {
  return status !== 'closed';
}

export function mayRate(status: Status): boolean {
  return isFinished(status);
}

/** Resolved before this instant means: close now. */
export function autoCloseCutoff(now: Date, afterDays: number): Date {
  return new Date(now.getTime() - afterDays * 24 * 60 * 60 * 1000);
}

/**
 * Whether a move from `from` to `to` shows in the customer's thread: resolving, closing
 * and reopening do; the steps agents take in between ("In progress", "Waiting on
 * customer") are theirs only, as are priority and category changes.
 */
export function customerSeesMove(from: Status, to: Status): boolean {
  return to === 'resolved' || to === 'closed' || mayReopen(from);
}
