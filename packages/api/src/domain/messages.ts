import { authorRoles, systemAuthorName } from '@parley/contract';
import type { MessageRow, MessageWithAuthor } from '@parley/db';
import { z } from 'zod';

/** Who wrote a message. `id` is null for messages Parley wrote itself (e.g. auto-close). */
export const messageAuthorOutput = z.object({
  id: z.string().nullable(),
  name: z.string(),
  role: z.enum(authorRoles),
});

/** `Message` of api.md. Customers never receive one with `internal: true`. */
export const messageOutput = z.object({
  id: z.string(),
  ticketId: z.string(),
  /** Per ticket, increasing, gap-free over all messages (internal notes included). */
  seq: z.number(),
  author: messageAuthorOutput,
  body: z.string(),
  internal: z.boolean(),
  createdAt: z.string(),
  clientId: z.string().nullable(),
});

export type Message = z.infer<typeof messageOutput>;
export type MessageAuthor = z.infer<typeof messageAuthorOutput>;

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
