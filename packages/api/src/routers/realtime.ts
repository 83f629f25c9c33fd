import { z } from 'zod';
import { AppError } from '../errors';
import { isAgent, type Viewer } from '@parley/db';
import { onTicket, participantProcedure, router, signedInProcedure } from '../trpc';
import { uuid } from '../validation';
import { okOutput } from './ok';

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

/** The viewer a stream or signal carries: the session's user without its email. */
const viewerOf = (user: Viewer): Viewer => ({ id: user.id, name: user.name, role: user.role });
// Subscriptions started by a server-side caller have no transport signal: they end with the hub.
const signalOf = (signal: AbortSignal | undefined) => signal ?? new AbortController().signal;

/**
 * Live events over WebSocket. Each yields `tracked(id, event)` so a reconnecting
 * client resumes with `lastEventId` and gets exactly what it missed, in order.
 */
export const realtimeRouter = router({
  /** One ticket: its events, plus untracked `typing` and `presence`. Owner or agent. */
  onTicket: participantProcedure
    .input(onTicketInput)
    .concat(onTicket)
    .subscription(({ ctx, input, signal }) =>
      ctx.hub.ticketStream({
        viewer: viewerOf(ctx.user),
        ticketId: ctx.ticket.id,
        lastEventId: input.lastEventId ?? null,
        signal: signalOf(signal),
        socket: ctx.socket,
      }),
    ),

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
  typing: participantProcedure
    .input(typingInput)
    .use(function internalForAgents({ ctx, input, next }) {
      if (input.internal && !isAgent(ctx.user)) throw new AppError('FORBIDDEN', 'Agents only');
      return next();
    })
    .concat(onTicket)
    .output(okOutput)
    .mutation(({ ctx, input }) => {
      ctx.hub.typing({
        viewer: viewerOf(ctx.user),
        ticketId: ctx.ticket.id,
        typing: input.typing,
        internal: input.internal ?? false,
      });
      return { ok: true as const };
    }),
});
