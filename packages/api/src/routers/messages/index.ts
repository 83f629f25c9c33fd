import { z } from 'zod';
import { listThread, markRead, sendMessage } from '../../domain/message-service';
import { messageOutput } from '../../domain/messages';
import { router, ticketParticipantProcedure } from '../../trpc';
import { listMessagesInput, markReadInput, sendMessageInput } from './inputs';

/** A ticket's thread: its customer and any agent; internal notes are for agents only. */
export const messagesRouter = router({
  /** Ascending `seq`; without `before`/`after`, the newest page. */
  list: ticketParticipantProcedure
    .input(listMessagesInput)
    .output(
      z.object({
        items: z.array(messageOutput),
        hasMore: z.boolean(),
        /** How far the other side has read; on the newest page only, else null. */
        othersReadSeq: z.number().nullable(),
      }),
    )
    .query(({ ctx, input }) => listThread(ctx.db, ctx.user, input)),

  /** Idempotent on (author, clientId). */
  send: ticketParticipantProcedure
    .input(sendMessageInput)
    .output(messageOutput)
    .mutation(({ ctx, input }) => sendMessage(ctx, ctx.user, input)),

  markRead: ticketParticipantProcedure
    .input(markReadInput)
    .output(z.object({ lastReadSeq: z.number() }))
    .mutation(({ ctx, input }) => markRead(ctx.db, ctx.user, input)),
});
