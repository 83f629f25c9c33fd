import { messageCreatedData, systemAuthorName } from '@parley/contract';
import type { MessageRow, MessageWithAuthor } from '@parley/db';
import type { z } from 'zod';

/**
 * `Message` of docs/api.md: the contract's `message.created` payload (docs/events.md), which
 * is versioned: a field only the API needs is added here with `.extend`, never in the
 * contract. Customers never receive one with `internal: true`.
 */
export const messageOutput = messageCreatedData;

export type Message = z.infer<typeof messageOutput>;
export type MessageAuthor = Message['author'];

export function toMessage(row: MessageRow, authorName: string | null): Message {
  return {
    id: row.id,
    ticketId: row.ticketId,
    seq: row.seq,
    author: { id: row.authorId, name: authorName ?? systemAuthorName, role: row.authorRole },
    body: row.body,
    internal: row.internal,
    createdAt: row.createdAt.toISOString(),
    clientId: row.clientId,
  };
}

export function messageFromRow(row: MessageWithAuthor): Message {
  return toMessage(row, row.authorName);
}
