import { deleteChannelSettings, saveChannelSettings } from '@parley/db';
import { z } from 'zod';
import { conversationsForm, conversationsToStore } from '../channels/saved-settings';
import { adminProcedure } from '../trpc';
import { okOutput } from './ok';

/**
 * Admins: how WhatsApp and SMS conversations go (both channels): whether the bot answers
 * a new conversation first, the message closing a ticket sends, and the window in which
 * a contact writing again reopens their closed ticket. Saved in Parley over the
 * environment's `PARLEY_CHANNEL_BOT`, `PARLEY_CHANNEL_CLOSING_MESSAGE` and
 * `PARLEY_CHANNEL_REOPEN_DAYS`.
 */
export const conversationSettingsProcedures = {
  /** The conversation settings in use, and where they come from. */
  conversationSettings: adminProcedure
    .output(
      z.object({
        source: z.enum(['saved', 'environment']),
        /** Why the saved settings cannot be used (the environment's apply), or null. */
        problem: z.string().nullable(),
        botEnabled: z.boolean(),
        closingMessage: z.string(),
        /** The environment may give a fraction of a day; a save takes whole days only. */
        reopenDays: z.number().min(0),
      }),
    )
    .query(({ ctx }) => {
      const { botEnabled, closingMessage, reopenDays } = ctx.channels.settings;
      return {
        source: ctx.channels.source('conversations') ?? 'environment',
        problem: ctx.channels.problem('conversations'),
        botEnabled,
        closingMessage,
        reopenDays,
      };
    }),

  /**
   * Saves the conversation settings; they apply at once on this server and within seconds
   * on the others (the next ticket opened, closed or written to again).
   */
  saveConversationSettings: adminProcedure
    .input(conversationsForm)
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await saveChannelSettings(ctx.db, {
        channel: 'conversations',
        settings: conversationsToStore(input),
        updatedBy: ctx.user.id,
      });
      await ctx.channels.refresh();
      return { ok: true as const };
    }),

  /** Forgets the saved conversation settings: the environment's apply again. */
  resetConversationSettings: adminProcedure.output(okOutput).mutation(async ({ ctx }) => {
    await deleteChannelSettings(ctx.db, { channel: 'conversations' });
    await ctx.channels.refresh();
    return { ok: true as const };
  }),
};
