import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { attachments, fileDeletions, messages, tickets, type AttachmentRow } from '../schema';
import { isAgent, type Viewer } from '../viewer';

export type NewAttachment = {
  id: string;
  uploaderId: string;
  name: string;
  size: number;
  contentType: string;
  width: number | null;
  height: number | null;
  sha256: string;
  hasThumbnail: boolean;
  /** A chat-widget guest's upload: their guest session (see `Viewer.guestSessionId`). */
  guestSessionId?: string | null;
};

/** Pending uploads belong to their uploader — a guest's to the one guest session. */
const pendingOf = (viewer: Pick<Viewer, 'id' | 'guestSessionId'>) =>
  sql`(${attachments.ticketId} is null and ${attachments.uploaderId} = ${viewer.id} and ${attachments.guestSessionId} is not distinct from ${viewer.guestSessionId ?? null})`;

/** Records a stored upload, pending until a message (or a new ticket) claims it. */
export async function insertAttachment(db: DbOrTx, params: NewAttachment): Promise<AttachmentRow> {
  const [row] = await db.insert(attachments).values(params).returning();
  if (!row) throw new Error('attachment insert returned nothing');
  return row;
}

/**
 * The uploader's own pending uploads among `ids` (a guest's: from their guest session), locked until the transaction ends so
 * two sends cannot claim the same upload.
 */
export async function lockPendingAttachments(
  tx: DbOrTx,
  params: { ids: string[]; uploader: Pick<Viewer, 'id' | 'guestSessionId'> },
): Promise<AttachmentRow[]> {
  if (params.ids.length === 0) return [];
  return tx
    .select()
    .from(attachments)
    .where(and(inArray(attachments.id, params.ids), pendingOf(params.uploader)))
    .for('update');
}

/** Claims pending uploads for a ticket: for one of its messages, or its description (null). */
export function claimAttachments(
  tx: DbOrTx,
  params: { ids: string[]; ticketId: string; messageId: string | null },
) {
  return tx
    .update(attachments)
    .set({ ticketId: params.ticketId, messageId: params.messageId })
    .where(and(inArray(attachments.id, params.ids), isNull(attachments.ticketId)));
}

/** The files of these messages, oldest upload first. */
export async function attachmentsOfMessages(
  db: DbOrTx,
  params: { messageIds: string[] },
): Promise<AttachmentRow[]> {
  if (params.messageIds.length === 0) return [];
  return db
    .select()
    .from(attachments)
    .where(inArray(attachments.messageId, params.messageIds))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
}

/** The files of a ticket's description (claimed by `tickets.create`). */
export async function attachmentsOfDescription(
  db: DbOrTx,
  params: { ticketId: string },
): Promise<AttachmentRow[]> {
  return db
    .select()
    .from(attachments)
    .where(and(eq(attachments.ticketId, params.ticketId), isNull(attachments.messageId)))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
}

/**
 * A file `viewer` may download, or undefined (missing and forbidden alike): their own
 * pending upload; a claimed file on a ticket an agent works; or, for a customer, a file
 * of their own ticket's description or of a public message, never of an internal one
 * (a chat-widget guest: only of the tickets started from their guest session).
 */
export async function findVisibleAttachment(
  db: DbOrTx,
  params: { id: string; viewer: Viewer },
): Promise<AttachmentRow | undefined> {
  const { id, viewer } = params;
  // A chat-widget guest sees only the tickets started from their guest session.
  const guestScope =
    viewer.guestSessionId !== undefined
      ? sql` and ${tickets.guestSessionId} = ${viewer.guestSessionId}`
      : sql``;
  const seen = isAgent(viewer)
    ? sql`${attachments.ticketId} is not null`
    : sql`${tickets.customerId} = ${viewer.id} and coalesce(${messages.internal}, false) = false${guestScope}`;
  const [row] = await db
    .select({ attachment: attachments })
    .from(attachments)
    .leftJoin(tickets, eq(tickets.id, attachments.ticketId))
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(and(eq(attachments.id, id), sql`(${pendingOf(viewer)} or (${seen}))`))
    .limit(1);
  return row?.attachment;
}

/** Records that a thumbnail of the file is stored. */
export async function markAttachmentThumbnail(db: DbOrTx, params: { id: string }): Promise<void> {
  await db.update(attachments).set({ hasThumbnail: true }).where(eq(attachments.id, params.id));
}

/** Pending uploads older than `olderThanSeconds`, oldest first, at most `limit`. */
export async function expiredPendingAttachments(
  db: DbOrTx,
  params: { olderThanSeconds: number; limit: number },
): Promise<Pick<AttachmentRow, 'id' | 'hasThumbnail'>[]> {
  return db
    .select({ id: attachments.id, hasThumbnail: attachments.hasThumbnail })
    .from(attachments)
    .where(
      and(
        isNull(attachments.ticketId),
        lt(attachments.createdAt, sql`now() - make_interval(secs => ${params.olderThanSeconds})`),
      ),
    )
    .orderBy(asc(attachments.createdAt))
    .limit(params.limit);
}

/** Deletes an upload's row if it is still pending; whether it did. */
export async function deletePendingAttachment(
  db: DbOrTx,
  params: { id: string },
): Promise<boolean> {
  const rows = await db
    .delete(attachments)
    .where(and(eq(attachments.id, params.id), isNull(attachments.ticketId)))
    .returning({ id: attachments.id });
  return rows.length > 0;
}

/** Keys of deleted attachments whose bytes are still to be deleted, oldest first. */
export async function queuedFileDeletions(
  db: DbOrTx,
  params: { limit: number },
): Promise<string[]> {
  const rows = await db
    .select({ key: fileDeletions.key })
    .from(fileDeletions)
    .orderBy(asc(fileDeletions.createdAt), asc(fileDeletions.key))
    .limit(params.limit);
  return rows.map((row) => row.key);
}

/** Takes keys off the queue once their bytes are deleted. */
export async function dequeueFileDeletions(db: DbOrTx, params: { keys: string[] }): Promise<void> {
  if (params.keys.length === 0) return;
  await db.delete(fileDeletions).where(inArray(fileDeletions.key, params.keys));
}

/** A file by id, whoever asks (callers decide access: signed links to files of sent messages). */
export async function getAttachmentRow(
  db: DbOrTx,
  params: { id: string },
): Promise<AttachmentRow | undefined> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, params.id)).limit(1);
  return row;
}
