import { helpDeflectionStats, insertHelpDeflections, suggestHelpArticles } from '@parley/db';
import { z } from 'zod';
import { helpArticleSummaryOutput, toHelpArticleSummary } from '../../domain/help';
import { consumeRateLimit } from '../../rate-limit';
import { agentProcedure, publicProcedure, router, signedInProcedure } from '../../trpc';
import { articlesRouter } from './articles';
import { collectionsRouter } from './collections';
import { recordDeflectionInput, suggestInput } from './inputs';

const outcomeRow = z.object({
  article: z.object({ id: z.string(), slug: z.string(), title: z.string() }),
  count: z.number(),
});

/** The help centre: articles, collections, suggestions for a question, deflections. */
export const helpRouter = router({
  articles: articlesRouter,
  collections: collectionsRouter,

  /**
   * Published articles for a question or a ticket's subject, ranked by how many of its
   * words (stemmed; the last one also by prefix) they match. `words`: how many words
   * of the question counted (stop words do not), so a caller can judge a match.
   */
  suggest: publicProcedure
    .input(suggestInput)
    .output(
      z.object({
        items: z.array(z.object({ article: helpArticleSummaryOutput, score: z.number() })),
        words: z.number(),
      }),
    )
    .query(async ({ ctx, input }) => {
      if (!input.text) return { items: [], words: 0 };
      const { rows, words } = await suggestHelpArticles(ctx.db, {
        reader: ctx.user,
        text: input.text,
        limit: input.limit ?? 3,
      });
      return {
        items: rows.map((row) => ({
          article: toHelpArticleSummary(row, ctx.user),
          score: row.score,
        })),
        words,
      };
    }),

  /**
   * Over 30 days: the articles that deflected most, and those most often followed by a
   * ticket anyway (opened from the new-ticket form, then a ticket created).
   */
  stats: agentProcedure
    .output(
      z.object({
        deflected: z.array(outcomeRow),
        ticketAnyway: z.array(outcomeRow),
      }),
    )
    .query(async ({ ctx }) => {
      const stats = await helpDeflectionStats(ctx.db, { days: 30, limit: 5 });
      const rows = (list: typeof stats.deflected) =>
        list.map(({ count, ...article }) => ({ article, count }));
      return { deflected: rows(stats.deflected), ticketAnyway: rows(stats.ticket) };
    }),

  deflections: router({
    /**
     * What followed opening suggested articles in the new-ticket form: the customer
     * left without a ticket (`deflected`) or created one anyway (`ticket`).
     */
    record: signedInProcedure
      .input(recordDeflectionInput)
      .output(z.object({ recorded: z.number() }))
      .mutation(async ({ ctx, input }) => {
        await consumeRateLimit(
          ctx.db,
          `help-deflections:${ctx.user.id}`,
          ctx.limits.helpDeflectionsPerUser,
        );
        const recorded = await insertHelpDeflections(ctx.db, {
          reader: ctx.user,
          userId: ctx.user.id,
          articleIds: [...new Set(input.articleIds)],
          outcome: input.outcome,
        });
        return { recorded };
      }),
  }),
});
