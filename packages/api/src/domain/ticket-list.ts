import {
  getTicketView,
  listTicketViews,
  type Category,
  type DbOrTx,
  type Priority,
  type Status,
  type TicketSort,
} from '@parley/db';
import { AppError, notFound } from '../errors';
import { decodeCursor, encodeCursor } from './list-cursor';
import type { Actor } from './ticket-service';
import { toTicket, toTicketSummary, viewerOf, type Ticket, type TicketSummary } from './tickets';

export type ListTicketsInput = {
  status?: Status[] | undefined;
  priority?: Priority[] | undefined;
  category?: Category[] | undefined;
  assignee?: string | undefined;
  customerId?: string | undefined;
  q?: string | undefined;
  sort: TicketSort;
  cursor?: string | undefined;
  limit: number;
};

export type TicketPage = { items: TicketSummary[]; nextCursor: string | null; total: number };

/** The queue (agents) or "my tickets" (customers), filtered, searched and paged by keyset. */
export async function listTickets(
  db: DbOrTx,
  actor: Actor,
  input: ListTicketsInput,
): Promise<TicketPage> {
  const viewer = viewerOf(actor);
  if (!viewer.isAgent && (input.assignee !== undefined || input.customerId !== undefined)) {
    throw new AppError('FORBIDDEN', 'Filtering by assignee or customer is for agents');
  }
  const assigneeId =
    input.assignee === 'me' ? actor.id : input.assignee === 'unassigned' ? null : input.assignee;
  const { rows, next, total } = await listTicketViews(db, viewer, {
    ...(input.status ? { status: input.status } : {}),
    ...(input.priority ? { priority: input.priority } : {}),
    ...(input.category ? { category: input.category } : {}),
    ...(assigneeId !== undefined ? { assigneeId } : {}),
    ...(input.customerId ? { customerId: input.customerId } : {}),
    ...(input.q ? { q: input.q } : {}),
    sort: input.sort,
    ...(input.cursor ? { after: decodeCursor(input.cursor, input.sort) } : {}),
    limit: input.limit,
  });
  return { items: rows.map(toTicketSummary), nextCursor: next ? encodeCursor(next) : null, total };
}

/** One ticket as the actor sees it; NOT_FOUND when they may not. */
export async function getTicket(db: DbOrTx, actor: Actor, ticketId: string): Promise<Ticket> {
  const row = await getTicketView(db, viewerOf(actor), ticketId);
  if (!row) throw notFound();
  return toTicket(row);
}
