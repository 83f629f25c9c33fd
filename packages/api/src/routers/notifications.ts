import {
  kindHasChannel,
  notificationChannels,
  notificationKindList,
  notificationKinds,
} from '@parley/contract';
import {
  listInboundMail,
  listOutgoingMail,
  setPreference,
  type InboundMailRow,
  type OutgoingMailRow,
} from '@parley/db';
import { z } from 'zod';
import { AppError } from '../errors';
import { smsReady } from '../notify/phone-verification';
import { preferenceList, preferenceTables } from '../notify/preferences';
import { notificationPhoneRouter } from './notification-phone';
import { adminProcedure, router, signedInProcedure } from '../trpc';
import { uuid } from '../validation';

const kind = z.enum(notificationKindList);
const channel = z.enum(notificationChannels);
const preferenceOutput = z.object({ kind, channel, enabled: z.boolean() });

export const setPreferenceInput = z.strictObject({ kind, channel, enabled: z.boolean() });

export const listOutgoingMailInput = z
  .strictObject({
    /** `nextCursor` of the previous page. */
    cursor: z.string().max(100).nullish(),
    limit: z.number().int().min(1).max(100).optional(),
    /** Sent by tRPC's `useInfiniteQuery`; pages only go forward (older). */
    direction: z.literal('forward').optional(),
  })
  .optional();

const outgoingMailOutput = z.object({
  id: uuid,
  kind: z.string(),
  to: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  headers: z.record(z.string(), z.string()),
  ticketId: uuid.nullable(),
  /** `kept` (no SMTP configured), `pending`, `sent` or `failed`. */
  status: z.string(),
  attempts: z.number(),
  error: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

const toOutgoingMail = (row: OutgoingMailRow): z.output<typeof outgoingMailOutput> => ({
  id: row.id,
  kind: row.kind,
  to: row.toAddress,
  subject: row.subject,
  html: row.html,
  text: row.text,
  headers: row.headers,
  ticketId: row.ticketId,
  status: row.status,
  attempts: row.attempts,
  error: row.error,
  createdAt: row.createdAt.toISOString(),
  sentAt: row.sentAt?.toISOString() ?? null,
});

const inboundMailOutput = z.object({
  id: uuid,
  messageId: z.string(),
  returnPath: z.string(),
  from: z.string(),
  recipients: z.array(z.string()),
  subject: z.string(),
  /** `processing`, `ticket_created`, `joined`, `dropped`, `rejected` or `failed`. */
  status: z.string(),
  reason: z.string().nullable(),
  spf: z.string().nullable(),
  dkim: z.string().nullable(),
  dmarc: z.string().nullable(),
  ticketId: uuid.nullable(),
  receivedAt: z.string(),
});

const toInboundMail = (row: InboundMailRow): z.output<typeof inboundMailOutput> => ({
  id: row.id,
  messageId: row.messageId,
  returnPath: row.returnPath,
  from: row.fromAddress,
  recipients: row.recipients,
  subject: row.subject,
  status: row.status,
  reason: row.reason,
  spf: row.spf,
  dkim: row.dkim,
  dmarc: row.dmarc,
  ticketId: row.ticketId,
  receivedAt: row.receivedAt.toISOString(),
});

/** `<createdAt ISO>_<id>` of the last row of a page. */
function readCursor(cursor: string): { createdAt: Date; id: string } {
  const [at = '', id = ''] = cursor.split('_');
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || !uuid.safeParse(id).success) {
    throw new AppError('BAD_REQUEST', 'Invalid cursor');
  }
  return { createdAt, id };
}

/**
 * What Parley tells people by email and SMS, and what it sent (or kept, without SMTP).
 */
export const notificationsRouter = router({
  preferences: router({
    /**
     * The caller's choices for their side's kinds (customer or team), defaults filled in;
     * SMS ones only once they have a verified number (and SMS is set up).
     */
    get: signedInProcedure.output(z.array(preferenceOutput)).query(async ({ ctx }) => {
      const tables = await preferenceTables(ctx.db, [ctx.user.id]);
      return preferenceList(
        tables.get(ctx.user.id),
        ctx.user.role,
        await smsReady(ctx, ctx.user.id),
      );
    }),

    /** Switches one kind on one channel on or off for the caller; returns all their choices. */
    set: signedInProcedure
      .input(setPreferenceInput)
      .output(z.array(preferenceOutput))
      .mutation(async ({ ctx, input }) => {
        const audience = ctx.user.role === 'customer' ? 'customer' : 'staff';
        if (notificationKinds[input.kind].audience !== audience) {
          throw new AppError('BAD_REQUEST', 'That notification is not one you receive');
        }
        if (!kindHasChannel(input.kind, input.channel)) {
          throw new AppError('BAD_REQUEST', 'That notification does not go out by SMS');
        }
        const sms = await smsReady(ctx, ctx.user.id);
        if (input.channel === 'sms' && !sms) {
          throw new AppError('BAD_REQUEST', 'Add and verify your mobile number first');
        }
        await setPreference(ctx.db, { userId: ctx.user.id, ...input });
        const tables = await preferenceTables(ctx.db, [ctx.user.id]);
        return preferenceList(tables.get(ctx.user.id), ctx.user.role, sms);
      }),
  }),

  /** The caller's mobile number for SMS notifications: add, verify with a code, remove. */
  phone: notificationPhoneRouter,

  outgoingMail: router({
    /** Every email rendered, newest first, with its HTML and text (admins). */
    list: adminProcedure
      .input(listOutgoingMailInput)
      .output(z.object({ items: z.array(outgoingMailOutput), nextCursor: z.string().nullable() }))
      .query(async ({ ctx, input }) => {
        const limit = input?.limit ?? 20;
        const rows = await listOutgoingMail(ctx.db, {
          limit: limit + 1,
          before: input?.cursor ? readCursor(input.cursor) : null,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map(toOutgoingMail),
          nextCursor:
            rows.length > limit && last ? `${last.createdAt.toISOString()}_${last.id}` : null,
        };
      }),
  }),

  inboundMail: router({
    /**
     * Every mail the SMTP listener took (docs/email-in.md), newest first, with what became
     * of it: dropped auto-replies and rejected mail (a customer's address failing SPF/DKIM)
     * too. Admins.
     */
    list: adminProcedure
      .input(listOutgoingMailInput)
      .output(z.object({ items: z.array(inboundMailOutput), nextCursor: z.string().nullable() }))
      .query(async ({ ctx, input }) => {
        const limit = input?.limit ?? 20;
        const before = input?.cursor ? readCursor(input.cursor) : null;
        const rows = await listInboundMail(ctx.db, {
          limit: limit + 1,
          before: before ? { receivedAt: before.createdAt, id: before.id } : null,
        });
        const page = rows.slice(0, limit);
        const last = page.at(-1);
        return {
          items: page.map(toInboundMail),
          nextCursor:
            rows.length > limit && last ? `${last.receivedAt.toISOString()}_${last.id}` : null,
        };
      }),
  }),
});
