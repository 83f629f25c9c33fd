import { z } from 'zod';
import { AppError } from '../errors';
import { assertTicketVisible } from '../realtime/access';
import { isAgent, type Viewer } from '../realtime/events';
import { signedInProcedure, router, ticketParticipantProcedure } from '../trpc';
import { uuid } from '../validation';

/** A `tracked` id as the client sends it back (a decimal string; numbers are accepted too). */
const eventCursor = z
  .union([
    z.string().regex(/^\d{1,15}$/, 'Must be an event id'),
    z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  ])
  .transform(Number);

export const onTicketInput = z.strictObject({ ticketId: uuid, lastEventId: eventCursor.nullish() });
export const onInboxInput = z.strictObject({ lastEventId: eventCursor.nullish() }).optional();
export const typingInput = z.strictObject({
  ticketId: uuid,
  typing: z.boolean(),
  /** Typing an internal note: shown to agents only. */
  internal: z.boolean().optional(),
});

const viewerOf = (user: Viewer): Viewer => ({ id: user.id, name: user.name, role: user.role });
// Subscriptions started by a server-side caller have no transport signal: they end with the hub.
const signalOf = (signal: AbortSignal | undefined) => signal ?? new AbortController().signal;

/**
 * Live events over WebSocket. Each yields `tracked(id, event)` so a reconnecting
 * client resumes with `lastEventId` and gets exactly what it missed, in order.
 */
export const realtimeRouter = router({
  /** One ticket: its events, plus untracked `typing` and `presence`. Owner or agent. */
  onTicket: ticketParticipantProcedure
    .input(onTicketInput)
    .subscription(async ({ ctx, input, signal }) => {
      await assertTicketVisible(ctx.db, ctx.user, input.ticketId);
      return ctx.hub.ticketStream({
        viewer: viewerOf(ctx.user),
        ticketId: input.ticketId,
        lastEventId: input.lastEventId ?? null,
        signal: signalOf(signal),
        socket: ctx.socket,
      });
    }),

  /** Every ticket the caller may see (agents: all; customers: their own). */
  onInbox: signedInProcedure.input(onInboxInput).subscription(({ ctx, input, signal }) =>
    ctx.hub.inboxStream({
      viewer: viewerOf(ctx.user),
      lastEventId: input?.lastEventId ?? null,
      signal: signalOf(signal),
      socket: ctx.socket,
    }),
  ),

  /** Shows or hides "typing…" to the ticket's other viewers (expires without renewal). */
  typing: ticketParticipantProcedure.input(typingInput).mutation(async ({ ctx, input }) => {
    if (input.internal && !isAgent(ctx.user)) throw new AppError('FORBIDDEN', 'Agents only');
    await assertTicketVisible(ctx.db, ctx.user, input.ticketId);
    ctx.hub.typing({
      viewer: viewerOf(ctx.user),
      ticketId: input.ticketId,
      typing: input.typing,
      internal: input.internal ?? false,
    });
    return { ok: true as const };
  }),
});
