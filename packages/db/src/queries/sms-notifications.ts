import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  notificationPhones,
  notificationPreferences,
  outgoingSms,
  type NotificationPhoneRow,
  type OutgoingSmsRow,
} from '../schema';

/** A user's number for SMS notifications, verified or waiting for its code. */
export async function notificationPhoneOf(
  db: DbOrTx,
  userId: string,
): Promise<NotificationPhoneRow | null> {
  const [row] = await db
    .select()
    .from(notificationPhones)
    .where(eq(notificationPhones.userId, userId));
  return row ?? null;
}

/** The verified numbers of some users (user id → E.164). */
export async function verifiedPhonesOf(
  db: DbOrTx,
  userIds: string[],
): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: notificationPhones.userId, phone: notificationPhones.phone })
    .from(notificationPhones)
    .where(
      and(inArray(notificationPhones.userId, userIds), isNotNull(notificationPhones.verifiedAt)),
    );
  return new Map(rows.map((row) => [row.userId, row.phone]));
}

/**
 * Stores a new code for a user's number (a new number replaces the old one, unverified,
 * and its SMS choices are dropped: SMS is opted in to again for a new number).
 */
export async function storePhoneCode(
  db: DbOrTx,
  params: { userId: string; phone: string; codeHash: string; expiresAt: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await notificationPhoneOf(tx, params.userId);
    if (current && current.phone !== params.phone) await dropSmsChoices(tx, params.userId);
    const code = {
      codeHash: params.codeHash,
      codeExpiresAt: params.expiresAt,
      codeAttempts: 0,
      codeSentAt: sql`now()`,
    };
    await tx
      .insert(notificationPhones)
      .values({ userId: params.userId, phone: params.phone, ...code })
      .onConflictDoUpdate({
        target: notificationPhones.userId,
        set: {
          ...code,
          phone: params.phone,
          // The same verified number keeps its proof until the new code is typed.
          verifiedAt: sql`case when ${notificationPhones.phone} = ${params.phone} then ${notificationPhones.verifiedAt} end`,
        },
      });
  });
}

/** Counts a try at the current code (right or wrong); answers the tries made so far. */
export async function countPhoneCodeTry(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .update(notificationPhones)
    .set({ codeAttempts: sql`${notificationPhones.codeAttempts} + 1` })
    .where(eq(notificationPhones.userId, userId))
    .returning({ attempts: notificationPhones.codeAttempts });
  return row?.attempts ?? 0;
}

/** The right code: the number is verified and the code is gone. */
export async function markPhoneVerified(db: DbOrTx, userId: string): Promise<void> {
  await db
    .update(notificationPhones)
    .set({
      verifiedAt: sql`now()`,
      codeHash: null,
      codeExpiresAt: null,
      codeAttempts: 0,
    })
    .where(eq(notificationPhones.userId, userId));
}

/** Forgets a user's number and their SMS choices. */
export async function removeNotificationPhone(db: DbOrTx, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(notificationPhones).where(eq(notificationPhones.userId, userId));
    await dropSmsChoices(tx, userId);
  });
}

async function dropSmsChoices(tx: DbOrTx, userId: string): Promise<void> {
  await tx
    .delete(notificationPreferences)
    .where(
      and(eq(notificationPreferences.userId, userId), eq(notificationPreferences.channel, 'sms')),
    );
}

export type NewOutgoingSms = Pick<
  OutgoingSmsRow,
  'idempotencyKey' | 'userId' | 'ticketId' | 'kind' | 'toPhone' | 'body' | 'status'
>;

/** The SMS of an idempotency key: the one already stored, or `sms` stored now. */
export async function storeOutgoingSms(db: DbOrTx, sms: NewOutgoingSms): Promise<OutgoingSmsRow> {
  await db.insert(outgoingSms).values(sms).onConflictDoNothing();
  const found = await findOutgoingSms(db, sms.idempotencyKey);
  if (!found) throw new Error(`outgoing SMS ${sms.idempotencyKey} vanished`);
  return found;
}

export async function findOutgoingSms(
  db: DbOrTx,
  idempotencyKey: string,
): Promise<OutgoingSmsRow | null> {
  const [row] = await db
    .select()
    .from(outgoingSms)
    .where(eq(outgoingSms.idempotencyKey, idempotencyKey));
  return row ?? null;
}

/** Records a send's outcome (`sent` with Twilio's id, or `failed`/`pending` with why). */
export async function updateOutgoingSms(
  db: DbOrTx,
  params: {
    id: string;
    status: 'pending' | 'sent' | 'failed';
    error: string | null;
    providerMessageId?: string;
    attempted: boolean;
  },
): Promise<void> {
  await db
    .update(outgoingSms)
    .set({
      status: params.status,
      error: params.error,
      ...(params.providerMessageId ? { providerMessageId: params.providerMessageId } : {}),
      ...(params.status === 'sent' ? { sentAt: sql`now()` } : {}),
      ...(params.attempted ? { attempts: sql`${outgoingSms.attempts} + 1` } : {}),
    })
    .where(eq(outgoingSms.id, params.id));
}
