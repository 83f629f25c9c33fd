import { z } from 'zod';
import { getTicket } from '../domain/ticket-list';
import { ticketOutput } from '../domain/tickets';
import { publicProcedure, router } from '../trpc';
import { enabledWidget, siteKey, startChat, startChatInput } from '../widgets/start-chat';
import { widgetConfigOutput } from '../widgets/widget-settings';

/**
 * The chat widget's public procedures (a site key is public by nature: abuse is
 * bounded by rate limits and allowed origins, not by secrecy). After `start`, the
 * chat uses the guest token with `messages.*`, `realtime.onTicket`/`typing`,
 * `tickets.byId`/`close`/`rate`.
 */
export const widgetRouter = router({
  /** What the loader and the chat frame show: title, colour, greeting, required fields. */
  config: publicProcedure
    .input(z.strictObject({ siteKey }))
    .output(widgetConfigOutput)
    .query(async ({ ctx, input }) => {
      const widget = await enabledWidget(ctx.db, input.siteKey);
      return {
        siteKey: widget.siteKey,
        title: widget.title,
        color: widget.color,
        greeting: widget.greeting,
        position: widget.position,
        requirePhone: widget.requirePhone,
        agentsOnline: ctx.hub.staffConnected(),
      };
    }),

  /** Starts a chat: a guest session (its token) and the ticket only it may see. */
  start: publicProcedure
    .input(startChatInput)
    .output(z.object({ guestToken: z.string(), ticket: ticketOutput }))
    .mutation(async ({ ctx, input }) => {
      const started = await startChat(ctx, input);
      return {
        guestToken: started.guestToken,
        ticket: await getTicket(ctx.db, started.viewer, started.ticketId),
      };
    }),
});
