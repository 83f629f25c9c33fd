import { botAuthorName, messageCreatedData, systemAuthorName } from '@parley/contract';
import {
  attachmentsOfMessages,
  type AttachmentRow,
  type DbOrTx,
  type MessageRow,
  type MessageWithAuthor,
} from '@parley/db';
import { attachmentFromRow } from './attachments';
import type { z } from 'zod';

/**
 * `Message` of docs/api.md: the contract's `message.created` payload (docs/events.md), which
 * is versioned: a field only the API needs is added here with `.extend`, never in the
 * contract. Customers never receive one with `internal: true`.
 */
export const messageOutput = messageCreatedData;

export type Message = z.infer<typeof messageOutput>;
export type MessageAuthor = Message['author'];

export function toMessage(
  row: MessageRow,
  authorName: string | null,
  files: AttachmentRow[] = [],
): Message {
  return {
    id: row.id,
    ticketId: row.ticketId,
    seq: row.seq,
    author: {
      id: row.authorId,
      name: authorName ?? (row.authorRole === 'bot' ? botAuthorName : systemAuthorName),
      role: row.authorRole,
    },
    body: row.body,
    internal: row.internal,
    createdAt: row.createdAt.toISOString(),
    clientId: row.clientId,
    attachments: files.map(attachmentFromRow),
    metadata: row.metadata ?? null,
  };
}

export function messageFromRow(row: MessageWithAuthor, files: AttachmentRow[] = []): Message {
  return toMessage(row, row.authorName, files);
}

/** Messages with their files (one query for the lot). */
export async function messagesWithFiles(db: DbOrTx, rows: MessageWithAuthor[]): Promise<Message[]> {
  const files = await attachmentsOfMessages(db, { messageIds: rows.map((row) => row.id) });
  // Node 20 has no Map.groupBy.
  const byMessage = new Map<string | null, AttachmentRow[]>();
  for (const file of files)
    byMessage.set(file.messageId, [...(byMessage.get(file.messageId) ?? []), file]);
  return rows.map((row) => messageFromRow(row, byMessage.get(row.id) ?? []));
}
