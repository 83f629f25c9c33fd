import { getTicket, listTickets } from '../../domain/ticket-list';
import { cachedTicketStats } from '../../domain/ticket-stats';
import {
  closeTicket,
  createTicket,
  rateTicket,
  reopenTicket,
  updateTicket,
} from '../../domain/ticket-service';
import { ticketOutput, ticketPageOutput, ticketStatsOutput } from '../../domain/tickets';
import {
  agentProcedure,
  customerOrAgentProcedure,
  router,
  signedInProcedure,
  ticketOwnerProcedure,
  ticketParticipantProcedure,
} from '../../trpc';
import {
  createTicketInput,
  listTicketsInput,
  rateTicketInput,
  ticketIdInput,
  updateTicketInput,
} from './inputs';

/**
 * Tickets. Each procedure's policy is its builder; a ticket the caller may not see
 * is NOT_FOUND (never FORBIDDEN), exactly like one that does not exist.
 */
export const ticketsRouter = router({
  /** Customers open tickets for themselves; agents on behalf of `customerId`. */
  create: customerOrAgentProcedure
    .input(createTicketInput)
    .output(ticketOutput)
    .mutation(async ({ ctx, input }) =>
      getTicket(ctx.db, ctx.user, await createTicket(ctx, ctx.user, input)),
    ),

  /** Customers see their own tickets only; `assignee` and `customerId` are agent filters. */
  list: signedInProcedure
    .input(listTicketsInput)
    .output(ticketPageOutput)
    .query(({ ctx, input }) => listTickets(ctx.db, ctx.user, input)),

  byId: ticketParticipantProcedure
    .input(ticketIdInput)
    .output(ticketOutput)
    .query(({ ctx, input }) => getTicket(ctx.db, ctx.user, input.ticketId)),

  /**
   * Agents only. The ticket is looked up first, so another customer's ticket is
   * NOT_FOUND and only its own customer learns FORBIDDEN.
   */
  update: ticketParticipantProcedure
    .input(updateTicketInput)
    .output(ticketOutput)
    .mutation(async ({ ctx, input }) => {
      await updateTicket(ctx.db, ctx.user, input);
      return getTicket(ctx.db, ctx.user, input.ticketId);
    }),

  close: ticketParticipantProcedure
    .input(ticketIdInput)
    .output(ticketOutput)
    .mutation(async ({ ctx, input }) => {
      await closeTicket(ctx.db, ctx.user, input.ticketId);
      return getTicket(ctx.db, ctx.user, input.ticketId);
    }),

  /** From resolved or closed back to open. */
  reopen: ticketParticipantProcedure
    .input(ticketIdInput)
    .output(ticketOutput)
    .mutation(async ({ ctx, input }) => {
      await reopenTicket(ctx.db, ctx.user, input.ticketId);
      return getTicket(ctx.db, ctx.user, input.ticketId);
    }),

  /** The ticket's customer only, once it is resolved or closed. */
  rate: ticketOwnerProcedure
    .input(rateTicketInput)
    .output(ticketOutput)
    .mutation(async ({ ctx, input }) => {
      await rateTicket(ctx.db, ctx.user, input);
      return getTicket(ctx.db, ctx.user, input.ticketId);
    }),

  stats: agentProcedure
    .output(ticketStatsOutput)
    .query(({ ctx }) => cachedTicketStats(ctx.db, ctx.user.id)),
});
