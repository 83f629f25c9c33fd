import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { botAnswers, helpArticles, helpCollections } from '../schema';
import { botAnswersSeed, helpArticlesSeed, helpCollectionsSeed } from './help-content';

/**
 * Writes the demo help centre (collections, ~20 articles, a few bot answers). Runs
 * again without duplicating: collections and articles are kept by slug, answers by name.
 */
export async function seedHelpCenter(
  db: Db,
  params: { editorId: string | null },
): Promise<{ articles: number; botAnswers: number }> {
  return db.transaction(async (tx) => {
    await tx
      .insert(helpCollections)
      .values(helpCollectionsSeed.map((c, position) => ({ ...c, position })))
      .onConflictDoNothing({ target: helpCollections.slug });
    const collections = await tx
      .select({ id: helpCollections.id, slug: helpCollections.slug })
      .from(helpCollections)
      .where(
        inArray(
          helpCollections.slug,
          helpCollectionsSeed.map((c) => c.slug),
        ),
      );
    const collectionId = new Map(collections.map((c) => [c.slug, c.id]));
    await tx
      .insert(helpArticles)
      .values(
        helpArticlesSeed.map(({ collection, ...article }, position) => ({
          ...article,
          audience: article.audience ?? 'public',
          status: article.status ?? 'published',
          position,
          collectionId: collectionId.get(collection) ?? null,
          updatedById: params.editorId,
        })),
      )
      .onConflictDoNothing({ target: helpArticles.slug });
    const articles = await tx
      .select({ id: helpArticles.id, slug: helpArticles.slug })
      .from(helpArticles)
      .where(
        inArray(
          helpArticles.slug,
          helpArticlesSeed.map((a) => a.slug),
        ),
      );
    const articleId = new Map(articles.map((a) => [a.slug, a.id]));
    let answers = 0;
    for (const [position, answer] of botAnswersSeed.entries()) {
      const [existing] = await tx
        .select({ id: botAnswers.id })
        .from(botAnswers)
        .where(eq(botAnswers.name, answer.name))
        .limit(1);
      if (existing) continue;
      await tx.insert(botAnswers).values({
        name: answer.name,
        phrasings: answer.phrasings,
        reply: answer.reply,
        articleId: answer.article ? (articleId.get(answer.article) ?? null) : null,
        position,
        updatedById: params.editorId,
      });
      answers++;
    }
    await tx.execute(sql`analyze ${helpArticles}`);
    return { articles: articles.length, botAnswers: answers };
  });
}
