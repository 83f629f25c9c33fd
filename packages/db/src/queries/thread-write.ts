import { eq, sql } from 'drizzle-orm';
import type { AtCommit } from '../at-commit';
import type { DbOrTx } from '../client';
import { messages, tickets, ticketSearch } from '../schema';
import type { NewMessage } from './messages';
import type { TicketChanges } from './tickets';

export type ThreadWrite = {
  ticketId: string;
  /** New messages, ids chosen by the caller. */
  messages: (NewMessage & { id: string })[];
  changes: TicketChanges;
  /** Message bodies to add to the ticket's search vectors (system messages are not searchable). */
  search: { publicText: string[]; internalText: string[] };
};

/**
 * Queues one change to a locked ticket's thread to be written with the COMMIT: its
 * messages, the ticket row, its search vectors. A message whose (author, clientId)
 * exists already fails the transaction with a unique violation
 * (`isDuplicateMessageClientId`).
 */
export function queueThreadWrite(
  tx: DbOrTx,
  params: { atCommit: AtCommit; write: ThreadWrite },
): void {
  const { atCommit, write } = params;
  if (write.messages.length) atCommit.write(tx.insert(messages).values(write.messages));
  atCommit.write(tx.update(tickets).set(write.changes).where(eq(tickets.id, write.ticketId)));
  const publicText = write.search.publicText.join('\n');
  const internalText = write.search.internalText.join('\n');
  if (!publicText && !internalText) return;
  atCommit.write(
    tx
      .update(ticketSearch)
      .set({
        ...(publicText
          ? { public: sql`parley_tsv_append(${ticketSearch.public}, ${publicText})` }
          : {}),
        ...(internalText
          ? { internal: sql`parley_tsv_append(${ticketSearch.internal}, ${internalText})` }
          : {}),
      })
      .where(eq(ticketSearch.ticketId, write.ticketId)),
  );
}

/** The error of a message insert whose (author, clientId) exists already. */
export function isDuplicateMessageClientId(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'messages_author_client_id_key';
}
