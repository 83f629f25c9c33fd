import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  guestSessions,
  users,
  widgets,
  type GuestSessionRow,
  type UserRow,
  type WidgetRow,
} from '../schema';
import { tickets, type Channel, type WidgetPosition } from '../schema';

export type NewWidget = {
  name: string;
  siteKey: string;
  allowedOrigins: string[];
  title: string;
  color: string;
  greeting: string;
  position: WidgetPosition;
  requirePhone: boolean;
  enabled: boolean;
  /** Default true: the bot answers first. */
  botEnabled?: boolean;
  secret: string;
};

export async function insertWidget(db: DbOrTx, widget: NewWidget): Promise<WidgetRow> {
  const [row] = await db.insert(widgets).values(widget).returning();
  if (!row) throw new Error('widget insert returned nothing');
  return row;
}

export type WidgetChanges = Partial<Omit<NewWidget, 'siteKey'>>;

/** Undefined when there is no such widget. */
export async function updateWidget(
  db: DbOrTx,
  params: { id: string; changes: WidgetChanges },
): Promise<WidgetRow | undefined> {
  const [row] = await db
    .update(widgets)
    .set({ ...params.changes, updatedAt: sql`now()` })
    .where(eq(widgets.id, params.id))
    .returning();
  return row;
}

export async function listWidgets(db: DbOrTx): Promise<WidgetRow[]> {
  return db.select().from(widgets).orderBy(asc(widgets.createdAt), asc(widgets.id));
}

export async function getWidgetBySiteKey(
  db: DbOrTx,
  params: { siteKey: string },
): Promise<WidgetRow | undefined> {
  const [row] = await db.select().from(widgets).where(eq(widgets.siteKey, params.siteKey)).limit(1);
  return row;
}

/** Every origin some enabled widget allows (the server's CORS answers these only). */
export async function enabledWidgetOrigins(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ origin: sql<string>`distinct unnest(${widgets.allowedOrigins})` })
    .from(widgets)
    .where(eq(widgets.enabled, true));
  return rows.map((row) => row.origin);
}

export async function insertGuestSession(
  db: DbOrTx,
  params: { id: string; userId: string; widgetId: string; verified: boolean; expiresAt: Date },
): Promise<void> {
  await db.insert(guestSessions).values(params);
}

/**
 * A guest session that still authenticates (not expired, its widget enabled, its
 * contact not disabled), with its contact and widget.
 */
export async function getActiveGuestSession(
  db: DbOrTx,
  params: { id: string },
): Promise<{ session: GuestSessionRow; user: UserRow; widget: WidgetRow } | undefined> {
  const [row] = await db
    .select({ session: guestSessions, user: users, widget: widgets })
    .from(guestSessions)
    .innerJoin(users, eq(users.id, guestSessions.userId))
    .innerJoin(widgets, eq(widgets.id, guestSessions.widgetId))
    .where(
      and(
        eq(guestSessions.id, params.id),
        gt(guestSessions.expiresAt, sql`now()`),
        eq(widgets.enabled, true),
        sql`${users.disabledAt} is null`,
      ),
    )
    .limit(1);
  return row;
}

/** Deletes guest sessions past their expiry (their tickets stay, with no session). */
export async function deleteExpiredGuestSessions(db: DbOrTx): Promise<number> {
  const rows = await db
    .delete(guestSessions)
    .where(lt(guestSessions.expiresAt, sql`now()`))
    .returning({ id: guestSessions.id });
  return rows.length;
}

/**
 * A chat visitor's contact: a customer without a password, by email. Returns the
 * existing user when the email is taken (whatever their role: the caller decides).
 */
export async function findOrInsertGuestContact(
  db: DbOrTx,
  params: { email: string; name: string; phone: string | null },
): Promise<UserRow> {
  const [inserted] = await db
    .insert(users)
    .values({
      email: params.email,
      name: params.name,
      role: 'customer',
      passwordHash: null,
      phone: params.phone,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return inserted;
  const [existing] = await db.select().from(users).where(eq(users.email, params.email)).limit(1);
  if (!existing) throw new Error('guest contact vanished after a conflicting insert');
  if (params.phone && !existing.phone) {
    await db.update(users).set({ phone: params.phone }).where(eq(users.id, existing.id));
    return { ...existing, phone: params.phone };
  }
  return existing;
}

export type ChatDetailsRow = {
  channel: Channel;
  pageUrl: string | null;
  userAgent: string | null;
  country: string | null;
  phone: string | null;
  widgetName: string | null;
  /** Null when the ticket has no guest session (any more). */
  verified: boolean | null;
};

/** Where a ticket came from and what the chat visitor left (agents' sidebar). */
export async function getChatDetails(
  db: DbOrTx,
  params: { ticketId: string },
): Promise<ChatDetailsRow | undefined> {
  const [row] = await db
    .select({
      channel: tickets.channel,
      pageUrl: tickets.pageUrl,
      userAgent: tickets.userAgent,
      country: tickets.country,
      phone: users.phone,
      widgetName: widgets.name,
      verified: guestSessions.verified,
    })
    .from(tickets)
    .innerJoin(users, eq(users.id, tickets.customerId))
    .leftJoin(widgets, eq(widgets.id, tickets.widgetId))
    .leftJoin(guestSessions, eq(guestSessions.id, tickets.guestSessionId))
    .where(eq(tickets.id, params.ticketId))
    .limit(1);
  return row;
}
