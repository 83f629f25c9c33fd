import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import {
  helpArticles,
  helpCollections,
  helpDeflections,
  users,
  type DeflectionOutcome,
  type HelpArticleStatus,
  type HelpAudience,
  type Role,
} from '../schema';

/**
 * Who reads the help centre: nobody signed in (null), a customer, or an agent. Anyone
 * reads published `public` articles; signed-in customers also `customers` ones; agents
 * read everything, drafts included.
 */
export type HelpReader = { role: Role } | null;

const a = helpArticles;
const c = helpCollections;

/** The conditions that keep to what `reader` may read. */
function readable(reader: HelpReader): SQL[] {
  if (reader && reader.role !== 'customer') return [];
  const audiences: HelpAudience[] = reader ? ['public', 'customers'] : ['public'];
  return [eq(a.status, 'published'), inArray(a.audience, audiences)];
}

/** The unique-index error of a slug taken by another article or collection. */
export function isSlugTaken(error: unknown): boolean {
  for (let e = error as { code?: unknown; constraint?: unknown; cause?: unknown } | null; e;) {
    if (
      e.code === '23505' &&
      typeof e.constraint === 'string' &&
      e.constraint.endsWith('_slug_key')
    )
      return true;
    e = e.cause as typeof e;
  }
  return false;
}

const summaryColumns = {
  id: a.id,
  slug: a.slug,
  title: a.title,
  summary: a.summary,
  audience: a.audience,
  status: a.status,
  position: a.position,
  helpfulCount: a.helpfulCount,
  notHelpfulCount: a.notHelpfulCount,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
  collectionId: a.collectionId,
  collectionSlug: c.slug,
  collectionTitle: c.title,
  updatedById: a.updatedById,
  updatedByName: users.name,
};

/** An article without its body, with its collection and last editor. */
export type HelpArticleSummaryRow = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  audience: HelpAudience;
  status: HelpArticleStatus;
  position: number;
  helpfulCount: number;
  notHelpfulCount: number;
  createdAt: Date;
  updatedAt: Date;
  collectionId: string | null;
  collectionSlug: string | null;
  collectionTitle: string | null;
  updatedById: string | null;
  updatedByName: string | null;
};

export type HelpArticleViewRow = HelpArticleSummaryRow & { body: string };

function selectSummaries(db: DbOrTx) {
  return db
    .select(summaryColumns)
    .from(a)
    .leftJoin(c, eq(c.id, a.collectionId))
    .leftJoin(users, eq(users.id, a.updatedById));
}

export type ListHelpArticlesParams = {
  reader: HelpReader;
  /** The search box: every word must match, the last one by prefix too. */
  q?: string;
  /** A collection's slug. */
  collection?: string;
  audience?: HelpAudience;
  limit: number;
};

/**
 * The articles `reader` may read. With `q`: best matches first (title over summary over
 * body); without: by collection, then position, then title.
 */
export async function listHelpArticles(
  db: DbOrTx,
  params: ListHelpArticlesParams,
): Promise<HelpArticleSummaryRow[]> {
  const where = readable(params.reader);
  if (params.collection) where.push(eq(c.slug, params.collection));
  if (params.audience) where.push(eq(a.audience, params.audience));
  const query = selectSummaries(db);
  if (params.q) {
    const match = sql`parley_help_all(${params.q})`;
    return query
      .where(and(...where, sql`${a.search} @@ ${match}`))
      .orderBy(desc(sql`ts_rank(${a.search}, ${match})`), asc(a.title), asc(a.id))
      .limit(params.limit);
  }
  return query
    .where(and(...where))
    .orderBy(sql`${c.position} asc nulls last`, asc(a.position), asc(a.title), asc(a.id))
    .limit(params.limit);
}

/** One article `reader` may read, by slug or by id; undefined for any other. */
export async function getHelpArticle(
  db: DbOrTx,
  params: { reader: HelpReader } & ({ slug: string } | { id: string }),
): Promise<HelpArticleViewRow | undefined> {
  const key = 'slug' in params ? eq(a.slug, params.slug) : eq(a.id, params.id);
  const [row] = await db
    .select({ ...summaryColumns, body: a.body })
    .from(a)
    .leftJoin(c, eq(c.id, a.collectionId))
    .leftJoin(users, eq(users.id, a.updatedById))
    .where(and(key, ...readable(params.reader)))
    .limit(1);
  return row;
}

export type HelpArticleFields = {
  slug: string;
  title: string;
  summary: string;
  body: string;
  audience: HelpAudience;
  status: HelpArticleStatus;
  position: number;
  collectionId: string | null;
};

/** Inserts an article; returns its id, or 'slug_taken'. */
export async function insertHelpArticle(
  db: DbOrTx,
  params: { fields: HelpArticleFields; editorId: string | null },
): Promise<{ id: string } | 'slug_taken'> {
  const [row] = await db
    .insert(a)
    .values({ ...params.fields, updatedById: params.editorId })
    .onConflictDoNothing({ target: a.slug })
    .returning({ id: a.id });
  return row ?? 'slug_taken';
}

/** Changes an article; undefined when there is none with that id, or 'slug_taken'. */
export async function updateHelpArticle(
  db: DbOrTx,
  params: { id: string; changes: Partial<HelpArticleFields>; editorId: string },
): Promise<{ id: string } | 'slug_taken' | undefined> {
  try {
    const [row] = await db
      .update(a)
      .set({ ...params.changes, updatedById: params.editorId, updatedAt: sql`now()` })
      .where(eq(a.id, params.id))
      .returning({ id: a.id });
    return row;
  } catch (error) {
    if (isSlugTaken(error)) return 'slug_taken';
    throw error;
  }
}

/** Deletes an article (its bot answers keep their reply, without the link). */
export async function deleteHelpArticle(db: DbOrTx, params: { id: string }): Promise<boolean> {
  const rows = await db.delete(a).where(eq(a.id, params.id)).returning({ id: a.id });
  return rows.length > 0;
}

/**
 * Counts one "was this helpful?" answer on an article `reader` may read and that is
 * published (a draft's preview counts nothing). Undefined for any other article.
 */
export async function recordHelpFeedback(
  db: DbOrTx,
  params: { reader: HelpReader; articleId: string; helpful: boolean },
): Promise<{ helpfulCount: number; notHelpfulCount: number } | undefined> {
  const [row] = await db
    .update(a)
    .set(
      params.helpful
        ? { helpfulCount: sql`${a.helpfulCount} + 1` }
        : { notHelpfulCount: sql`${a.notHelpfulCount} + 1` },
    )
    .where(and(eq(a.id, params.articleId), eq(a.status, 'published'), ...readable(params.reader)))
    .returning({ helpfulCount: a.helpfulCount, notHelpfulCount: a.notHelpfulCount });
  return row;
}

export type HelpSuggestionRow = HelpArticleSummaryRow & {
  /** How many of the question's words (stemmed; the last one also by prefix) it matches. */
  score: number;
};

/**
 * Published articles `reader` may read, ranked by how many of the question's words
 * they match, then by where the words are (title first). Drafts are never suggested,
 * not even to agents: suggestions are what a customer would get.
 *
 * The score comes from the search index, one lookup per word, counted per article
 * (`hits`), so an article's vector is not read once per word; only the articles scoring
 * at least the `limit`-th best score are ranked by `ts_rank` to break ties (bench B7).
 */
export async function suggestHelpArticles(
  db: DbOrTx,
  params: { reader: HelpReader; text: string; limit: number },
): Promise<{ rows: HelpSuggestionRow[]; words: number }> {
  const visible = and(eq(a.status, 'published'), ...readable(params.reader));
  const any = sql`parley_help_any(${params.text})`;
  const cols = summaryColumns;
  const result = await db.execute<
    Omit<HelpSuggestionRow, 'createdAt' | 'updatedAt'> & {
      createdAt: Date | string;
      updatedAt: Date | string;
      words: number;
    }
  >(sql`
    with terms as (select unnest(parley_help_terms(${params.text})) as term),
    hits as materialized (
      select ${a.id} as id, count(*)::int as score
      from terms join ${a} on ${a.search} @@ terms.term
      where ${visible}
      group by ${a.id}
    ),
    cut as (select coalesce(min(score), 0) as score from (
      select score from hits order by score desc limit ${params.limit}) best)
    select ${cols.id} as "id", ${cols.slug} as "slug", ${cols.title} as "title",
      ${cols.summary} as "summary", ${cols.audience} as "audience", ${cols.status} as "status",
      ${cols.position} as "position", ${cols.helpfulCount} as "helpfulCount",
      ${cols.notHelpfulCount} as "notHelpfulCount", ${cols.createdAt} as "createdAt",
      ${cols.updatedAt} as "updatedAt", ${cols.collectionId} as "collectionId",
      ${cols.collectionSlug} as "collectionSlug", ${cols.collectionTitle} as "collectionTitle",
      ${cols.updatedById} as "updatedById", ${cols.updatedByName} as "updatedByName",
      hits.score as "score",
      (select count(*)::int from terms) as "words"
    from hits
    join ${a} on ${a.id} = hits.id
    left join ${c} on ${c.id} = ${a.collectionId}
    left join ${users} on ${users.id} = ${a.updatedById}
    where hits.score >= (select score from cut)
    order by hits.score desc, ts_rank(${a.search}, ${any}) desc, ${a.title}, ${a.id}
    limit ${params.limit}`);
  const rows = result.rows.map(({ words: _words, ...row }) => ({
    ...row,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  }));
  const words =
    result.rows[0]?.words ??
    (
      await db.execute<{ n: number }>(
        sql`select cardinality(parley_help_terms(${params.text}))::int as n`,
      )
    ).rows[0]?.n ??
    0;
  return { rows, words };
}

/**
 * Records what happened after a customer opened suggested articles in the new-ticket
 * form. Only articles they may read count; returns how many rows were written.
 */
export async function insertHelpDeflections(
  db: DbOrTx,
  params: {
    reader: HelpReader;
    userId: string;
    articleIds: string[];
    outcome: DeflectionOutcome;
  },
): Promise<number> {
  if (params.articleIds.length === 0) return 0;
  const result = await db.execute(sql`
    insert into ${helpDeflections} (${sql.identifier('article_id')}, ${sql.identifier('user_id')}, ${sql.identifier('outcome')})
    select ${a.id}, ${params.userId}::uuid, ${params.outcome}::help_deflection_outcome
    from ${a}
    where ${and(inArray(a.id, params.articleIds), ...readable(params.reader))}`);
  return result.rowCount ?? 0;
}

/** What happened after customers opened one article from the new-ticket form. */
export async function countHelpDeflections(
  db: DbOrTx,
  params: { articleId: string },
): Promise<Record<DeflectionOutcome, number>> {
  const rows = await db
    .select({ outcome: helpDeflections.outcome, n: sql<number>`count(*)::int` })
    .from(helpDeflections)
    .where(eq(helpDeflections.articleId, params.articleId))
    .groupBy(helpDeflections.outcome);
  const counts: Record<DeflectionOutcome, number> = { deflected: 0, ticket: 0 };
  for (const row of rows) counts[row.outcome] = row.n;
  return counts;
}

export type HelpOutcomeRow = { id: string; slug: string; title: string; count: number };

/**
 * Over the last `days`: the articles that deflected most (opened from the new-ticket
 * form, then no ticket), and those most often followed by a ticket anyway — the list
 * agents use to decide which article to improve or write next.
 */
export async function helpDeflectionStats(
  db: DbOrTx,
  params: { days: number; limit: number },
): Promise<Record<DeflectionOutcome, HelpOutcomeRow[]>> {
  const d = helpDeflections;
  const top = (outcome: DeflectionOutcome) =>
    db
      .select({ id: a.id, slug: a.slug, title: a.title, count: sql<number>`count(*)::int` })
      .from(d)
      .innerJoin(a, eq(a.id, d.articleId))
      .where(
        and(
          eq(d.outcome, outcome),
          sql`${d.createdAt} > now() - make_interval(days => ${params.days})`,
        ),
      )
      .groupBy(a.id)
      .orderBy(desc(sql`count(*)`), asc(a.title))
      .limit(params.limit);
  const [deflected, ticket] = await Promise.all([top('deflected'), top('ticket')]);
  return { deflected, ticket };
}
