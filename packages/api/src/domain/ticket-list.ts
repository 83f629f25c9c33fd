import {
  attachmentsOfDescription,
  getTicketView,
  isAgent,
  listTicketViews,
  type Category,
  type Channel,
  type DbOrTx,
  type Priority,
  type Status,
  type TicketSort,
  type Viewer,
} from '@parley/db';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor } from './list-cursor';
import { toTicket, toTicketListItem, type Ticket, type TicketListItem } from './tickets';

export type ListTicketsInput = {
  status?: Status[] | undefined;
  priority?: Priority[] | undefined;
  category?: Category[] | undefined;
  channel?: Channel[] | undefined;
  bot?: 'hide' | 'only' | 'all' | undefined;
  assignee?: string | undefined;
  customerId?: string | undefined;
  q?: string | undefined;
  sort: TicketSort;
  cursor?: string | null | undefined;
  limit: number;
};

export type TicketPage = { items: TicketListItem[]; nextCursor: string | null; total: number };

/** The queue (agents) or "my tickets" (customers), filtered, searched and paged by keyset. */
export async function listTickets(
  db: DbOrTx,
  viewer: Viewer,
  input: ListTicketsInput,
): Promise<TicketPage> {
  if (!isAgent(viewer) && (input.assignee !== undefined || input.customerId !== undefined)) {
    throw new AppError('FORBIDDEN', 'Filtering by assignee or customer is for agents');
  }
  const assigneeId =
    input.assignee === 'me' ? viewer.id : input.assignee === 'unassigned' ? null : input.assignee;
  const { rows, next, total } = await listTicketViews(db, {
    viewer,
    ...(input.status ? { status: input.status } : {}),
    ...(input.priority ? { priority: input.priority } : {}),
    ...(input.category ? { category: input.category } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    ...(isAgent(viewer) && input.bot !== 'all' ? { bot: input.bot ?? 'hide' } : {}),
    ...(assigneeId !== undefined ? { assigneeId } : {}),
    ...(input.customerId ? { customerId: input.customerId } : {}),
    ...(input.q ? { q: input.q } : {}),
    sort: input.sort,
    ...(input.cursor ? { after: decodeCursor(input.cursor, input.sort) } : {}),
    limit: input.limit,
  });
  return { items: rows.map(toTicketListItem), nextCursor: next ? encodeCursor(next) : null, total };
}

/**
 * One ticket as the viewer sees it. Only for a ticket they may see: one that passed the
 * ticket-access check, or that they just created.
 */
export async function getTicket(db: DbOrTx, viewer: Viewer, ticketId: string): Promise<Ticket> {
  const row = await getTicketView(db, { viewer, ticketId });
  if (!row)
    throw new Error(`ticket ${ticketId} is not visible to ${viewer.id} after the access check`);
  return toTicket(row, await attachmentsOfDescription(db, { ticketId }));
}
