import { z } from 'zod';
import { listThread, markRead, sendMessage } from '../../domain/message-service';
import { messageOutput } from '../../domain/messages';
import { isAgent } from '@parley/db';
import { AppError } from '../../errors';
import { onTicket, participantProcedure, router } from '../../trpc';
import { listMessagesInput, markReadInput, sendMessageInput } from './inputs';

/** A ticket's thread: its customer and any agent; internal notes are for agents only. */
export const messagesRouter = router({
  /** Ascending `seq`; without `before`/`after`, the newest page. */
  list: participantProcedure
    .input(listMessagesInput)
    .concat(onTicket)
    .output(
      z.object({
        items: z.array(messageOutput),
        hasMore: z.boolean(),
        /** How far the other side has read; on the newest page only, else null. */
        othersReadSeq: z.number().nullable(),
      }),
    )
    .query(({ ctx, input }) => listThread(ctx.db, ctx.user, ctx.ticket, input)),

  /**
   * Idempotent on (author, clientId). Internal notes and a status are for agents: a
   * customer asking for one is FORBIDDEN before the ticket is looked at.
   */
  send: participantProcedure
    .input(sendMessageInput)
    .use(function agentFieldsForAgents({ ctx, input, next }) {
      if (!isAgent(ctx.user) && (input.internal || input.status !== undefined)) {
        throw new AppError('FORBIDDEN', 'Only agents can write internal notes or set a status');
      }
      return next();
    })
    .concat(onTicket)
    .output(messageOutput)
    .mutation(({ ctx, input }) => sendMessage(ctx, ctx.user, input)),

  markRead: participantProcedure
    .input(markReadInput)
    .concat(onTicket)
    .output(z.object({ lastReadSeq: z.number() }))
    .mutation(({ ctx, input }) => markRead(ctx.db, ctx.user, ctx.ticket, input.seq)),
});
