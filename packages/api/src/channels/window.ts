import { lastInboundAt, type DbOrTx, type TicketRow } from '@parley/db';
import { AppError } from '../errors';

/** WhatsApp's customer-service window: free-form replies only this long after the contact wrote. */
export const whatsappWindowMs = 24 * 60 * 60 * 1000;

/** Whether a free-form WhatsApp reply may go out now (the contact wrote in the last 24 hours). */
export async function insideWhatsAppWindow(
  db: DbOrTx,
  ticket: Pick<TicketRow, 'id' | 'createdAt'>,
  now = Date.now(),
): Promise<boolean> {
  const last = (await lastInboundAt(db, { ticketId: ticket.id })) ?? ticket.createdAt;
  return now - last.getTime() < whatsappWindowMs;
}

/**
 * Refuses an agent's free-form public reply on a WhatsApp ticket outside the window: it
 * could not be delivered (Meta refuses it), so it is not stored as if it were sent.
 */
export async function assertFreeFormAllowed(
  db: DbOrTx,
  ticket: Pick<TicketRow, 'id' | 'createdAt' | 'channel'>,
): Promise<void> {
  if (ticket.channel !== 'whatsapp') return;
  if (await insideWhatsAppWindow(db, ticket)) return;
  throw new AppError(
    'CONFLICT',
    'The customer last wrote more than 24 hours ago: WhatsApp only lets you send an approved template until they write again.',
    { fieldErrors: { body: ['Outside WhatsApp’s 24-hour window: send a template'] } },
  );
}
