import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  events,
  logCursors,
  notificationPreferences,
  outgoingMail,
  signingKeys,
  ticketReads,
  tickets,
  users,
  type EventRow,
  type OutgoingMailRow,
} from '../schema';

/**
 * Locks a consumer's cursor row for this transaction and returns its position, or null
 * when another process holds it (SKIP LOCKED: that process is planning the same events,
 * so this one has nothing to do). A missing row starts at the end of the log.
 */
export async function lockLogCursor(tx: DbOrTx, name: string): Promise<number | null> {
  await tx.execute(sql`
    insert into log_cursors (name, position)
    select ${name}, coalesce(max(id), 0) from events
    on conflict (name) do nothing`);
  const [row] = await tx
    .select({ position: logCursors.position })
    .from(logCursors)
    .where(eq(logCursors.name, name))
    .for('update', { skipLocked: true });
  return row?.position ?? null;
}

/** Moves a locked cursor forward (never back). */
export async function moveLogCursor(
  tx: DbOrTx,
  params: { name: string; position: number },
): Promise<void> {
  await tx
    .update(logCursors)
    .set({ position: params.position, updatedAt: sql`now()` })
    .where(and(eq(logCursors.name, params.name), lt(logCursors.position, params.position)));
}

/** The next events after a cursor, in id (= commit) order. */
export async function readLogBatch(
  tx: DbOrTx,
  params: { afterId: number; limit: number },
): Promise<EventRow[]> {
  return tx
    .select()
    .from(events)
    .where(gt(events.id, params.afterId))
    .orderBy(asc(events.id))
    .limit(params.limit);
}

/** A consumer's position (tests and health checks). */
export async function logCursorPosition(db: DbOrTx, name: string): Promise<number | null> {
  const [row] = await db
    .select({ position: logCursors.position })
    .from(logCursors)
    .where(eq(logCursors.name, name));
  return row?.position ?? null;
}

/** Someone who may receive a notification. */
export type Recipient = {
  id: string;
  email: string;
  name: string;
  role: 'customer' | 'agent' | 'admin';
};

/** The users among `ids` who are not disabled. */
export async function activeRecipients(db: DbOrTx, ids: string[]): Promise<Recipient[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(users)
    .where(and(inArray(users.id, ids), isNull(users.disabledAt)));
}

/** Active agents and admins who switched a notification kind on for a channel. */
export async function staffWhoOptedIn(
  db: DbOrTx,
  params: { kind: string; channel: string },
): Promise<Recipient[]> {
  return db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role })
    .from(users)
    .innerJoin(
      notificationPreferences,
      and(
        eq(notificationPreferences.userId, users.id),
        eq(notificationPreferences.kind, params.kind),
        eq(notificationPreferences.channel, params.channel),
        eq(notificationPreferences.enabled, true),
      ),
    )
    .where(and(isNull(users.disabledAt), sql`${users.role} <> 'customer'`));
}

/** The stored choices of some users (no row: the kind's default). */
export async function preferencesOf(
  db: DbOrTx,
  userIds: string[],
): Promise<Array<{ userId: string; kind: string; channel: string; enabled: boolean }>> {
  if (userIds.length === 0) return [];
  return db
    .select({
      userId: notificationPreferences.userId,
      kind: notificationPreferences.kind,
      channel: notificationPreferences.channel,
      enabled: notificationPreferences.enabled,
    })
    .from(notificationPreferences)
    .where(inArray(notificationPreferences.userId, userIds));
}

/** Stores one choice. */
export async function setPreference(
  db: DbOrTx,
  params: { userId: string; kind: string; channel: string; enabled: boolean },
): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values(params)
    .onConflictDoUpdate({
      target: [
        notificationPreferences.userId,
        notificationPreferences.kind,
        notificationPreferences.channel,
      ],
      set: { enabled: params.enabled, updatedAt: sql`now()` },
    });
}

/**
 * Adds a graphile-worker job in the caller's transaction. `jobKey` dedupes: while a job
 * with the key exists, adding it again does nothing (`unsafe_dedupe`), even if it runs.
 */
export async function enqueueJob(
  tx: DbOrTx,
  params: {
    task: string;
    payload: unknown;
    jobKey: string;
    runAt: Date | null;
    maxAttempts: number;
    /** Jobs of one named queue run one at a time, in order (a webhook endpoint's). */
    queueName?: string;
  },
): Promise<void> {
  await tx.execute(sql`
    select graphile_worker.add_job(
      identifier => ${params.task},
      payload => ${JSON.stringify(params.payload)}::json,
      run_at => ${params.runAt?.toISOString() ?? null}::timestamptz,
      max_attempts => ${params.maxAttempts}::int,
      job_key => ${params.jobKey},
      queue_name => ${params.queueName ?? null}::text,
      job_key_mode => 'unsafe_dedupe')`);
}

/** How far a user has read a ticket (0: not at all). */
export async function readSeqOf(
  db: DbOrTx,
  params: { ticketId: string; userId: string },
): Promise<number> {
  const [row] = await db
    .select({ seq: ticketReads.lastReadSeq })
    .from(ticketReads)
    .where(and(eq(ticketReads.ticketId, params.ticketId), eq(ticketReads.userId, params.userId)));
  return row?.seq ?? 0;
}

/** What a notification email says about its ticket. */
export async function ticketForMail(db: DbOrTx, ticketId: string) {
  const [row] = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      description: tickets.description,
      createdAt: tickets.createdAt,
      customerName: users.name,
    })
    .from(tickets)
    .innerJoin(users, eq(users.id, tickets.customerId))
    .where(eq(tickets.id, ticketId));
  return row ?? null;
}

/** The secret links of one purpose are signed with (made by migration 0017). */
export async function signingKey(db: DbOrTx, name: string): Promise<string> {
  await db.insert(signingKeys).values({ name }).onConflictDoNothing();
  const [row] = await db
    .select({ secret: signingKeys.secret })
    .from(signingKeys)
    .where(eq(signingKeys.name, name));
  if (!row) throw new Error(`no signing key ${name}`);
  return row.secret;
}

export type NewOutgoingMail = Omit<
  OutgoingMailRow,
  'id' | 'createdAt' | 'sentAt' | 'attempts' | 'error'
>;

/** The mail of an idempotency key: the one already stored, or `mail` stored now. */
export async function storeOutgoingMail(
  db: DbOrTx,
  mail: NewOutgoingMail,
): Promise<OutgoingMailRow> {
  await db.insert(outgoingMail).values(mail).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(outgoingMail)
    .where(eq(outgoingMail.idempotencyKey, mail.idempotencyKey));
  if (!row) throw new Error(`outgoing mail ${mail.idempotencyKey} vanished`);
  return row;
}

export async function findOutgoingMail(
  db: DbOrTx,
  idempotencyKey: string,
): Promise<OutgoingMailRow | null> {
  const [row] = await db
    .select()
    .from(outgoingMail)
    .where(eq(outgoingMail.idempotencyKey, idempotencyKey));
  return row ?? null;
}

/** Records an attempt's outcome. */
export async function updateOutgoingMail(
  db: DbOrTx,
  params: {
    id: string;
    status: string;
    error?: string | null;
    sentAt?: Date | null;
    attempted?: boolean;
  },
): Promise<void> {
  await db
    .update(outgoingMail)
    .set({
      status: params.status,
      ...(params.error !== undefined ? { error: params.error } : {}),
      ...(params.sentAt !== undefined ? { sentAt: params.sentAt } : {}),
      ...(params.attempted ? { attempts: sql`${outgoingMail.attempts} + 1` } : {}),
    })
    .where(eq(outgoingMail.id, params.id));
}

/** `created_at` as JavaScript sees it (milliseconds), so a page's cursor compares exactly. */
const createdMs = sql`date_trunc('milliseconds', ${outgoingMail.createdAt})`;

/** Newest first, keyset-paged on (created_at, id). */
export async function listOutgoingMail(
  db: DbOrTx,
  params: { limit: number; before: { createdAt: Date; id: string } | null },
): Promise<OutgoingMailRow[]> {
  const { before } = params;
  return db
    .select()
    .from(outgoingMail)
    .where(
      before
        ? sql`(${createdMs}, ${outgoingMail.id}) < (${before.createdAt.toISOString()}::timestamptz, ${before.id}::uuid)`
        : undefined,
    )
    .orderBy(desc(createdMs), desc(outgoingMail.id))
    .limit(params.limit);
}
