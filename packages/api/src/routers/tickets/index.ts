import { getChatDetails } from '@parley/db';
import { handOff } from '../../bot/engine';
import { getTicket, listTickets } from '../../domain/ticket-list';
import { notFound } from '../../errors';
import { cachedTicketStats } from '../../domain/ticket-stats';
import {
  closeTicket,
  createTicket,
  rateTicket,
  reopenTicket,
  updateTicket,
} from '../../domain/ticket-service';
import {
  chatDetailsOutput,
  ticketOutput,
  ticketPageOutput,
  ticketStatsOutput,
} from '../../domain/tickets';
import {
  agentProcedure,
  onTicket,
  participantProcedure,
  router,
  signedInProcedure,
  ticketAgent,
  ticketOwner,
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
  create: signedInProcedure
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

  byId: participantProcedure
    .input(ticketIdInput)
    .concat(onTicket)
    .output(ticketOutput)
    .query(({ ctx }) => getTicket(ctx.db, ctx.user, ctx.ticket.id)),

  /** Agents only; the ticket's own customer learns FORBIDDEN, anyone else NOT_FOUND. */
  update: signedInProcedure
    .input(updateTicketInput)
    .concat(ticketAgent)
    .output(ticketOutput)
    .mutation(async ({ ctx, input }) => {
      await updateTicket(ctx.db, ctx.user, input);
      return getTicket(ctx.db, ctx.user, ctx.ticket.id);
    }),

  close: participantProcedure
    .input(ticketIdInput)
    .concat(onTicket)
    .output(ticketOutput)
    .mutation(async ({ ctx }) => {
      await closeTicket(ctx, ctx.user, ctx.ticket.id);
      return getTicket(ctx.db, ctx.user, ctx.ticket.id);
    }),

  /** From resolved or closed back to open. */
  reopen: signedInProcedure
    .input(ticketIdInput)
    .concat(onTicket)
    .output(ticketOutput)
    .mutation(async ({ ctx }) => {
      await reopenTicket(ctx, ctx.user, ctx.ticket.id);
      return getTicket(ctx.db, ctx.user, ctx.ticket.id);
    }),

  /** The ticket's customer only, once it is resolved or closed. */
  rate: participantProcedure
    .input(rateTicketInput)
    .concat(ticketOwner)
    .output(ticketOutput)
    .mutation(async ({ ctx, input }) => {
      await rateTicket(ctx, ctx.user, input);
      return getTicket(ctx.db, ctx.user, ctx.ticket.id);
    }),

  /**
   * The chat's visitor (its customer, or the guest of that chat) asks for a person: the
   * bot steps aside and the chat joins the agents' queue. Does nothing when the bot does
   * not have the chat.
   */
  handoff: participantProcedure
    .input(ticketIdInput)
    .concat(ticketOwner)
    .output(ticketOutput)
    .mutation(async ({ ctx }) => {
      await handOff({ db: ctx.db, agentsOnline: ctx.hub.staffConnected() }, ctx.ticket.id);
      return getTicket(ctx.db, ctx.user, ctx.ticket.id);
    }),

  /** Agents: where a ticket came from, and what a chat visitor left (page, browser, phone). */
  chatDetails: signedInProcedure
    .input(ticketIdInput)
    .concat(ticketAgent)
    .output(chatDetailsOutput)
    .query(async ({ ctx }) => {
      const row = await getChatDetails(ctx.db, { ticketId: ctx.ticket.id });
      if (!row) throw notFound();
      return row;
    }),

  stats: agentProcedure
    .output(ticketStatsOutput)
    .query(({ ctx }) => cachedTicketStats(ctx.db, ctx.user.id)),
});
