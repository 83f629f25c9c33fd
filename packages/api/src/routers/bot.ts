import {
  deleteBotAnswer,
  getBotAnswer,
  helpArticleExists,
  insertBotAnswer,
  listBotAnswers,
  updateBotAnswer,
  type DbOrTx,
} from '@parley/db';
import { z } from 'zod';
import { botAnswerOutput, toBotAnswer } from '../domain/help';
import { AppError, notFound } from '../errors';
import { adminProcedure, router } from '../trpc';
import { text, uuid } from '../validation';

const position = z.number().int().min(0).max(100_000);

const botAnswerFields = {
  /** What the intent is about ("Opening hours"). */
  name: text(1, 100),
  /** Example phrasings or keywords of the intent. */
  phrasings: z.array(text(1, 200)).min(1).max(20),
  reply: text(1, 2000),
  articleId: uuid.nullable(),
  enabled: z.boolean(),
  position,
};

export const createBotAnswerInput = z.strictObject({
  ...botAnswerFields,
  articleId: botAnswerFields.articleId.default(null),
  enabled: botAnswerFields.enabled.default(true),
  position: position.default(0),
});

export const updateBotAnswerInput = z.strictObject({
  answerId: uuid,
  name: botAnswerFields.name.optional(),
  phrasings: botAnswerFields.phrasings.optional(),
  reply: botAnswerFields.reply.optional(),
  articleId: botAnswerFields.articleId.optional(),
  enabled: botAnswerFields.enabled.optional(),
  position: position.optional(),
});

export const botAnswerIdInput = z.strictObject({ answerId: uuid });

/** A bot answer may point to an article that exists (of any status). */
async function checkArticle(db: DbOrTx, articleId: string | null | undefined): Promise<void> {
  if (articleId && !(await helpArticleExists(db, { id: articleId }))) {
    throw new AppError('BAD_REQUEST', 'No such article', {
      fieldErrors: { articleId: ['No such article'] },
    });
  }
}

async function answerById(db: DbOrTx, id: string) {
  const row = await getBotAnswer(db, { id });
  if (!row) throw notFound('Answer');
  return toBotAnswer(row);
}

/**
 * The bot's answers (admins): intents with example phrasings and the reply to give.
 * Only their list and editing live here; the bot that uses them comes with the widget.
 */
export const botRouter = router({
  answers: router({
    list: adminProcedure
      .output(z.array(botAnswerOutput))
      .query(async ({ ctx }) => (await listBotAnswers(ctx.db)).map(toBotAnswer)),

    create: adminProcedure
      .input(createBotAnswerInput)
      .output(botAnswerOutput)
      .mutation(async ({ ctx, input }) => {
        await checkArticle(ctx.db, input.articleId);
        const { id } = await insertBotAnswer(ctx.db, { fields: input, editorId: ctx.user.id });
        return answerById(ctx.db, id);
      }),

    update: adminProcedure
      .input(updateBotAnswerInput)
      .output(botAnswerOutput)
      .mutation(async ({ ctx, input }) => {
        const { answerId, ...changes } = input;
        await checkArticle(ctx.db, changes.articleId);
        const row = await updateBotAnswer(ctx.db, {
          id: answerId,
          changes,
          editorId: ctx.user.id,
        });
        if (!row) throw notFound('Answer');
        return answerById(ctx.db, row.id);
      }),

    delete: adminProcedure
      .input(botAnswerIdInput)
      .output(z.object({ ok: z.literal(true) }))
      .mutation(async ({ ctx, input }) => {
        if (!(await deleteBotAnswer(ctx.db, { id: input.answerId }))) throw notFound('Answer');
        return { ok: true as const };
      }),
  }),
});
