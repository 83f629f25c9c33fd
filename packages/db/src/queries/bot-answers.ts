import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { botAnswers, helpArticles } from '../schema';

const b = botAnswers;

export type BotAnswerViewRow = {
  id: string;
  name: string;
  phrasings: string[];
  reply: string;
  enabled: boolean;
  position: number;
  updatedAt: Date;
  articleId: string | null;
  articleSlug: string | null;
  articleTitle: string | null;
};

const columns = {
  id: b.id,
  name: b.name,
  phrasings: b.phrasings,
  reply: b.reply,
  enabled: b.enabled,
  position: b.position,
  updatedAt: b.updatedAt,
  articleId: b.articleId,
  articleSlug: helpArticles.slug,
  articleTitle: helpArticles.title,
};

/** Every bot answer, in the admin's order. */
export async function listBotAnswers(db: DbOrTx): Promise<BotAnswerViewRow[]> {
  return db
    .select(columns)
    .from(b)
    .leftJoin(helpArticles, eq(helpArticles.id, b.articleId))
    .orderBy(asc(b.position), asc(b.name), asc(b.id));
}

export async function getBotAnswer(
  db: DbOrTx,
  params: { id: string },
): Promise<BotAnswerViewRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(b)
    .leftJoin(helpArticles, eq(helpArticles.id, b.articleId))
    .where(eq(b.id, params.id))
    .limit(1);
  return row;
}

export type BotAnswerFields = {
  name: string;
  phrasings: string[];
  reply: string;
  articleId: string | null;
  enabled: boolean;
  position: number;
};

export async function insertBotAnswer(
  db: DbOrTx,
  params: { fields: BotAnswerFields; editorId: string | null },
): Promise<{ id: string }> {
  const [row] = await db
    .insert(b)
    .values({ ...params.fields, updatedById: params.editorId })
    .returning({ id: b.id });
  if (!row) throw new Error('insert returned no row');
  return row;
}

/** Changes a bot answer; undefined when there is none with that id. */
export async function updateBotAnswer(
  db: DbOrTx,
  params: { id: string; changes: Partial<BotAnswerFields>; editorId: string },
): Promise<{ id: string } | undefined> {
  const [row] = await db
    .update(b)
    .set({ ...params.changes, updatedById: params.editorId, updatedAt: sql`now()` })
    .where(eq(b.id, params.id))
    .returning({ id: b.id });
  return row;
}

export async function deleteBotAnswer(db: DbOrTx, params: { id: string }): Promise<boolean> {
  const rows = await db.delete(b).where(eq(b.id, params.id)).returning({ id: b.id });
  return rows.length > 0;
}

/** Whether an article exists (any status): a bot answer may only link to a real one. */
export async function helpArticleExists(db: DbOrTx, params: { id: string }): Promise<boolean> {
  const rows = await db
    .select({ id: helpArticles.id })
    .from(helpArticles)
    .where(eq(helpArticles.id, params.id))
    .limit(1);
  return rows.length > 0;
}

/** The enabled answers, in the admin's order: what the bot matches a visitor's words against. */
export async function listEnabledBotAnswers(db: DbOrTx): Promise<BotAnswerViewRow[]> {
  return db
    .select(columns)
    .from(b)
    .leftJoin(helpArticles, eq(helpArticles.id, b.articleId))
    .where(eq(b.enabled, true))
    .orderBy(asc(b.position), asc(b.name), asc(b.id));
}

/**
 * Whether the bot has anything to answer with: an enabled answer or a published public
 * article. Without either, widget chats go straight to the team.
 */
export async function botHasKnowledge(db: DbOrTx): Promise<boolean> {
  const result = await db.execute<{ found: boolean }>(sql`select (
      exists (select 1 from ${b} where ${b.enabled})
      or exists (select 1 from ${helpArticles}
        where ${and(eq(helpArticles.status, 'published'), eq(helpArticles.audience, 'public'))})
    ) as "found"`);
  return result.rows[0]?.found === true;
}
