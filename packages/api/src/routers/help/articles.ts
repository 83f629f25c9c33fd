import {
  deleteHelpArticle,
  getHelpArticle,
  getHelpCollection,
  insertHelpArticle,
  listHelpArticles,
  recordHelpFeedback,
  updateHelpArticle,
  type DbOrTx,
  type HelpArticleFields,
  type HelpReader,
} from '@parley/db';
import { z } from 'zod';
import {
  helpArticleOutput,
  helpArticleSummaryOutput,
  slugify,
  toHelpArticle,
  toHelpArticleSummary,
} from '../../domain/help';
import { renderMarkdown } from '../../domain/markdown';
import { AppError, notFound } from '../../errors';
import { consumeRateLimit } from '../../rate-limit';
import { adminProcedure, agentProcedure, publicProcedure, router } from '../../trpc';
import {
  articleBySlugInput,
  articleIdInput,
  createArticleInput,
  feedbackInput,
  listHelpArticlesInput,
  previewArticleInput,
  updateArticleInput,
} from './inputs';

export const slugTaken = () =>
  new AppError('CONFLICT', 'That address is taken', {
    fieldErrors: { slug: ['Another one has this address already'] },
  });

async function checkCollection(db: DbOrTx, collectionId: string | null | undefined) {
  if (collectionId && !(await getHelpCollection(db, { id: collectionId }))) {
    throw new AppError('BAD_REQUEST', 'No such collection', {
      fieldErrors: { collectionId: ['No such collection'] },
    });
  }
}

async function articleFor(db: DbOrTx, reader: HelpReader, id: string) {
  const row = await getHelpArticle(db, { reader, id });
  if (!row) throw notFound('Article');
  return toHelpArticle(row, reader);
}

/**
 * Inserts an article at the slug asked for, or (none asked for) at the title's slug,
 * numbered "-2", "-3"… while taken.
 */
async function insertWithSlug(
  db: DbOrTx,
  fields: Omit<HelpArticleFields, 'slug'> & { slug?: string | undefined },
  editorId: string,
): Promise<string> {
  const base = fields.slug ?? slugify(fields.title);
  for (let n = 1; n <= 20; n++) {
    const slug = n === 1 ? base : `${base.slice(0, 76)}-${n}`;
    const result = await insertHelpArticle(db, { fields: { ...fields, slug }, editorId });
    if (result !== 'slug_taken') return result.id;
    if (fields.slug) break;
  }
  throw slugTaken();
}

/** `help.articles.*`: anyone reads what they may; agents write; admins delete. */
export const articlesRouter = router({
  /** Published articles the caller may read (agents: drafts too), searched with `q`. */
  list: publicProcedure
    .input(listHelpArticlesInput)
    .output(z.object({ items: z.array(helpArticleSummaryOutput) }))
    .query(async ({ ctx, input }) => {
      const reader = ctx.user;
      const rows = await listHelpArticles(ctx.db, {
        reader,
        ...(input?.q ? { q: input.q } : {}),
        ...(input?.collection ? { collection: input.collection } : {}),
        ...(input?.audience ? { audience: input.audience } : {}),
        limit: input?.limit ?? 50,
      });
      return { items: rows.map((row) => toHelpArticleSummary(row, reader)) };
    }),

  /** One article by its address; NOT_FOUND for a draft or customers-only one the caller may not read. */
  bySlug: publicProcedure
    .input(articleBySlugInput)
    .output(helpArticleOutput)
    .query(async ({ ctx, input }) => {
      const row = await getHelpArticle(ctx.db, { reader: ctx.user, slug: input.slug });
      if (!row) throw notFound('Article');
      return toHelpArticle(row, ctx.user);
    }),

  /** One article by id, for the workspace's editor. */
  byId: agentProcedure
    .input(articleIdInput)
    .output(helpArticleOutput)
    .query(({ ctx, input }) => articleFor(ctx.db, ctx.user, input.articleId)),

  /** The editor's preview: the same rendering as the published page. */
  preview: agentProcedure
    .input(previewArticleInput)
    .output(z.object({ html: z.string() }))
    .mutation(({ input }) => ({ html: renderMarkdown(input.body) })),

  create: agentProcedure
    .input(createArticleInput)
    .output(helpArticleOutput)
    .mutation(async ({ ctx, input }) => {
      await checkCollection(ctx.db, input.collectionId);
      const id = await insertWithSlug(ctx.db, input, ctx.user.id);
      return articleFor(ctx.db, ctx.user, id);
    }),

  update: agentProcedure
    .input(updateArticleInput)
    .output(helpArticleOutput)
    .mutation(async ({ ctx, input }) => {
      const { articleId, ...changes } = input;
      await checkCollection(ctx.db, changes.collectionId);
      const result = await updateHelpArticle(ctx.db, {
        id: articleId,
        changes,
        editorId: ctx.user.id,
      });
      if (result === 'slug_taken') throw slugTaken();
      if (!result) throw notFound('Article');
      return articleFor(ctx.db, ctx.user, result.id);
    }),

  delete: adminProcedure
    .input(articleIdInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await deleteHelpArticle(ctx.db, { id: input.articleId }))) throw notFound('Article');
      return { ok: true as const };
    }),

  /** "Was this helpful?": counted once per call, limited per address. */
  feedback: publicProcedure
    .input(feedbackInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await consumeRateLimit(ctx.db, `help-feedback:${ctx.clientIp}`, ctx.limits.helpFeedbackPerIp);
      const counted = await recordHelpFeedback(ctx.db, { reader: ctx.user, ...input });
      if (!counted) throw notFound('Article');
      return { ok: true as const };
    }),
});
