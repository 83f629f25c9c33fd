import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Context } from './context';
import { getVisibleTicket, isAgent, isDatabaseUnavailable, type Db, type Viewer } from '@parley/db';
import { AppError, notFound, toTRPCError, unavailable } from './errors';
import { uuid } from './validation';
import { revalidateGuest } from './guests/guest-sessions';

/**
 * Who may call a procedure. Every procedure carries one (set by the builder, or the
 * ticket piece, it is made from); a procedure without one is refused at call time and
 * fails the router test that enumerates them all.
 */
export type Policy =
  | 'public'
  | 'signedIn'
  | 'agent'
  | 'admin'
  /** signed in, or a chat-widget guest (who then reaches only their session's tickets). */
  | 'participant'
  /** the ticket's customer, or any agent (`ctx.ticket` is loaded; anyone else: NOT_FOUND). */
  | 'onTicket'
  /** as `onTicket`, and then agents only (the ticket's customer: FORBIDDEN). */
  | 'ticketAgent'
  /** as `onTicket`, and then the ticket's customer only (agents: FORBIDDEN). */
  | 'ticketOwner';

export type Meta = {
  policy?: Policy;
  /** Chat-widget guests may call it (set by `participantProcedure`; kept through `concat`). */
  guests?: boolean;
};

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Subscriptions only over WebSocket, where sockets close at sign-out and slow readers are dropped.
    sse: { enabled: false },
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const fieldErrors =
        cause instanceof z.ZodError
          ? z.flattenError(cause).fieldErrors
          : cause instanceof AppError
            ? cause.details.fieldErrors
            : undefined;
      const retryAfterSeconds =
        cause instanceof AppError ? cause.details.retryAfterSeconds : undefined;
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        // Unknown errors are logged by the server; the client learns nothing of internals.
        message: internal ? 'Internal server error' : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          ...(fieldErrors ? { fieldErrors } : {}),
          ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Maps domain errors to tRPC codes (the one place that does) and denies policy-less procedures. */
const base = t.procedure.use(async function enforcePolicyAndMapErrors({ meta, next }) {
  if (!meta?.policy) throw new TRPCError({ code: 'FORBIDDEN', message: 'No policy' });
  const result = await next();
  if (result.ok) return result;
  // tRPC wraps whatever a procedure throws; a domain error arrives as the cause.
  if (result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  // Nothing was committed, or the answer was lost with the connection: either way the
  // caller retries (sends are idempotent on their clientId).
  if (isDatabaseUnavailable(result.error)) throw toTRPCError(unavailable());
  return result;
});

export const publicProcedure = base.meta({ policy: 'public' });

const requireSession = base.use(async function requireSession({ ctx, next }) {
  if (!ctx.user || !ctx.session) {
    if (ctx.sessionUnknown) throw unavailable();
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  }
  if (!ctx.socket) return next({ ctx: { user: ctx.user, session: ctx.session } });
  // A WebSocket context lives as long as the connection: check the session again for
  // each call, so a role change or a disable counts from the next call on, not only
  // once the socket is closed.
  const current = await ctx.auth.validate(ctx.session.id);
  if (!current) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended' });
  return next({ ctx: { user: current.user, session: current.session } });
});

/** Signed in; `ctx.user` is the caller. */
export const signedInProcedure = requireSession.meta({ policy: 'signedIn' });

/**
 * Signed in, or a chat-widget guest: `ctx.user` is the caller as a `Viewer` (a guest is
 * a customer carrying `guestSessionId`, so the ticket check lets them reach only the
 * tickets started from their guest session). For the procedures a chat uses: only
 * ever `concat(onTicket)` after it.
 */
export const participantProcedure = base
  .use(async function requireParticipant({ ctx, next }) {
    if (ctx.guest) {
      const guest = ctx.socket ? await revalidateGuest(ctx.db, ctx.guest) : ctx.guest;
      if (!guest)
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your chat session has ended' });
      if (ctx.crossOrigin !== null && !guest.allowedOrigins.includes(ctx.crossOrigin)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'This site may not use this chat' });
      }
      const viewer: Viewer = {
        id: guest.id,
        name: guest.name,
        role: 'customer',
        guestSessionId: guest.guestSessionId,
      };
      return next({ ctx: { user: viewer, guest } });
    }
    if (!ctx.user || !ctx.session) {
      if (ctx.sessionUnknown) throw unavailable();
      throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
    }
    if (!ctx.socket) return next({ ctx: { user: ctx.user, guest: null } });
    const current = await ctx.auth.validate(ctx.session.id);
    if (!current) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Your session has ended' });
    return next({ ctx: { user: current.user, guest: null } });
  })
  .meta({ policy: 'participant', guests: true });

export const agentProcedure = requireSession
  .use(function requireAgent({ ctx, next }) {
    if (!isAgent(ctx.user)) throw new TRPCError({ code: 'FORBIDDEN', message: 'Agents only' });
    return next();
  })
  .meta({ policy: 'agent' });

export const adminProcedure = requireSession
  .use(function requireAdmin({ ctx, next }) {
    if (ctx.user.role !== 'admin')
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only' });
    return next();
  })
  .meta({ policy: 'admin' });

/**
 * The one check of ticket access, a piece to `concat` after a signed-in builder and its
 * input (so a bad input is BAD_REQUEST whoever asks): loads the ticket the caller may
 * see (its customer, or any agent) into `ctx.ticket`. Any other ticket is NOT_FOUND,
 * exactly like one that does not exist: a customer never learns whether another
 * customer's ticket exists. Writes lock the row again by id (`withLockedTicket`), or write in
 * one round trip while it is unchanged since this read (`ticketVersion`, `writeIfTicketUnchanged`).
 *
 *     byId: signedInProcedure.input(ticketIdInput).concat(onTicket).query(…)
 */
export const onTicket = initTRPC
  .context<{ db: Db; user: Viewer }>()
  .meta<Meta>()
  .create()
  .procedure.input(z.object({ ticketId: uuid }))
  .use(async function requireTicketAccess({ ctx, input, next }) {
    const seen = await getVisibleTicket(ctx.db, { viewer: ctx.user, ticketId: input.ticketId });
    if (!seen) throw notFound();
    return next({ ctx: { ticket: seen.ticket, ticketVersion: seen.version } });
  })
  .meta({ policy: 'onTicket' });

/** `onTicket`, then agents only: the ticket's own customer learns FORBIDDEN. */
export const ticketAgent = onTicket
  .use(function requireAgentOnTicket({ ctx, next }) {
    if (!isAgent(ctx.user))
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Only agents can change a ticket' });
    return next();
  })
  .meta({ policy: 'ticketAgent' });

/** `onTicket`, then the ticket's customer only: agents learn FORBIDDEN. */
export const ticketOwner = onTicket
  .use(function requireTicketOwner({ ctx, next }) {
    if (ctx.ticket.customerId !== ctx.user.id)
      throw new TRPCError({ code: 'FORBIDDEN', message: "Only the ticket's customer can do this" });
    return next();
  })
  .meta({ policy: 'ticketOwner' });
