import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { Context } from './context';
import { isDatabaseUnavailable } from '@parley/db';
import { AppError, toTRPCError, unavailable } from './errors';

/**
 * Who may call a procedure. Every procedure carries one (set by the builder it is
 * made from); a procedure without one is refused at call time and fails the
 * router test that enumerates them all.
 */
export type Policy =
  | 'public'
  | 'signedIn'
  | 'agent'
  | 'admin'
  /** owner of the ticket, or an agent (checked in the procedure by `loadTicketFor`). */
  | 'ticketParticipant'
  /** only the ticket's customer. */
  | 'ticketOwner'
  /** customers only (agents act on behalf with an explicit `customerId`). */
  | 'customerOrAgent';

export type Meta = { policy?: Policy };

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

export const signedInProcedure = requireSession.meta({ policy: 'signedIn' });

/** Signed in; the procedure itself loads the ticket with `loadTicketFor` (owner or agent). */
export const ticketParticipantProcedure = requireSession.meta({ policy: 'ticketParticipant' });
/** Signed in; the procedure itself checks that the caller is the ticket's customer. */
export const ticketOwnerProcedure = requireSession.meta({ policy: 'ticketOwner' });
/** Signed in; customers act for themselves, agents on behalf of a named customer. */
export const customerOrAgentProcedure = requireSession.meta({ policy: 'customerOrAgent' });

export const agentProcedure = requireSession
  .use(function requireAgent({ ctx, next }) {
    if (ctx.user.role === 'customer')
      throw new TRPCError({ code: 'FORBIDDEN', message: 'Agents only' });
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
