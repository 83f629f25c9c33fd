import { signingKey, ticketsForInboundMail, ticketsOfSentMail, type Db } from '@parley/db';
import { isReplyAddress, ticketOfReplyAddress } from './reply-address';

export type ThreadTicket = Awaited<ReturnType<typeof ticketsForInboundMail>>[number];

export type MailThread = {
  /** The tickets the mail answers (usually one), and how they were found. */
  tickets: ThreadTicket[];
  via: 'reply address' | 'In-Reply-To/References' | null;
  /** A `reply+…` recipient that Parley did not sign (forged, or for a deleted ticket). */
  unknownReplyAddress: boolean;
};

/**
 * The ticket(s) an inbound mail answers: by a signed reply address it was sent to,
 * else by the Message-IDs of Parley's notification emails it names in In-Reply-To or
 * References. Never by its subject.
 */
export async function findMailThread(
  db: Db,
  mail: { recipients: string[]; threadIds: string[] },
): Promise<MailThread> {
  const replyRecipients = mail.recipients.filter(isReplyAddress);
  let unknownReplyAddress = false;
  if (replyRecipients.length) {
    const secret = await signingKey(db, 'reply');
    const ids = replyRecipients.map((address) => ticketOfReplyAddress(secret, address));
    const signed = ids.filter((id): id is string => id !== null);
    unknownReplyAddress = signed.length < ids.length;
    const tickets = await ticketsForInboundMail(db, { ids: signed });
    if (tickets.length) return { tickets, via: 'reply address', unknownReplyAddress };
  }
  const sent = await ticketsOfSentMail(db, { messageIds: mail.threadIds });
  const tickets = await ticketsForInboundMail(db, {
    ids: [...new Set(sent.map((s) => s.ticketId))],
  });
  return {
    tickets,
    via: tickets.length ? 'In-Reply-To/References' : null,
    unknownReplyAddress,
  };
}
