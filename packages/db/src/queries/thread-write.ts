import type { AtCommit } from '../at-commit';
import { sqlLiteral } from '../sql-literal';
import { insertText, updateText } from '../sql-text';
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
 * messages, the ticket row, its search vectors, as SQL text (`sql-text.ts`: no query
 * builder on the send path). A message whose (author, clientId)
 * exists already fails the transaction with a unique violation
 * (`isDuplicateMessageClientId`).
 */
export function queueThreadWrite(params: { atCommit: AtCommit; write: ThreadWrite }): void {
  const { atCommit, write } = params;
  const where = { key: 'id', value: write.ticketId };
  if (write.messages.length) atCommit.write(insertText(messages, write.messages));
  atCommit.write(updateText(tickets, write.changes, where));
  const publicText = write.search.publicText.join('\n');
  const internalText = write.search.internalText.join('\n');
  if (!publicText && !internalText) return;
  const append = (text: string) => ({
    sql: (column: string) => `parley_tsv_append(${column}, ${sqlLiteral(text)})`,
  });
  atCommit.write(
    updateText(
      ticketSearch,
      {
        ...(publicText ? { public: append(publicText) } : {}),
        ...(internalText ? { internal: append(internalText) } : {}),
      },
      { key: 'ticketId', value: write.ticketId },
    ),
  );
}

/** The error of a message insert whose (author, clientId) exists already. */
export function isDuplicateMessageClientId(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'messages_author_client_id_key';
}
