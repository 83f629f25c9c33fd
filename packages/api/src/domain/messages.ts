import { botAuthorName, messageCreatedData, systemAuthorName } from '@parley/contract';
import {
  attachmentsOfMessages,
  deliveriesOfMessages,
  type AttachmentRow,
  type DbOrTx,
  type MessageRow,
  type MessageWithAuthor,
} from '@parley/db';
import { attachmentFromRow } from './attachments';
import { z } from 'zod';

/**
 * `Message` of docs/api.md: the contract's `message.created` payload (docs/events.md), which
 * is versioned: a field only the API needs is added here with `.extend`, never in the
 * contract. Customers never receive one with `internal: true`.
 */
export const messageOutput = messageCreatedData.extend({
  /**
   * Agents only, on a message sent to the contact over WhatsApp or SMS: how far it got
   * (the least advanced part of a message sent in several). Absent on every other message.
   */
  delivery: z
    .object({
      channel: z.enum(['whatsapp', 'sms']),
      status: z.enum(['sent', 'delivered', 'read', 'failed']),
      error: z.string().nullable(),
    })
    .optional(),
});

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

/**
 * Messages with their files (one query for the lot) and, for agents on a WhatsApp or
 * SMS ticket (`withDelivery`), how far each went (one more query).
 */
export async function messagesWithFiles(
  db: DbOrTx,
  rows: MessageWithAuthor[],
  options: { withDelivery?: boolean } = {},
): Promise<Message[]> {
  const messageIds = rows.map((row) => row.id);
  const files = await attachmentsOfMessages(db, { messageIds });
  // Node 20 has no Map.groupBy.
  const byMessage = new Map<string | null, AttachmentRow[]>();
  for (const file of files)
    byMessage.set(file.messageId, [...(byMessage.get(file.messageId) ?? []), file]);
  const deliveries = options.withDelivery
    ? new Map((await deliveriesOfMessages(db, messageIds)).map((d) => [d.messageId, d]))
    : null;
  return rows.map((row) => {
    const message = messageFromRow(row, byMessage.get(row.id) ?? []);
    const delivery = deliveries?.get(row.id);
    if (!delivery || (delivery.channel !== 'whatsapp' && delivery.channel !== 'sms')) {
      return message;
    }
    const status = delivery.status as NonNullable<Message['delivery']>['status'];
    return { ...message, delivery: { channel: delivery.channel, status, error: delivery.error } };
  });
}
