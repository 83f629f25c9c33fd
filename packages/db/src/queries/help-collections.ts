import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client';
import { helpArticles, helpCollections, type HelpAudience } from '../schema';
import { isSlugTaken, type HelpReader } from './help-articles';

const c = helpCollections;
const a = helpArticles;

export type HelpCollectionViewRow = {
  id: string;
  slug: string;
  title: string;
  description: string;
  position: number;
  /** Articles in it that the reader may read. */
  articleCount: number;
};

/**
 * The collections in order, each with the number of articles `reader` may read in it.
 * Readers other than agents only get collections with something to read.
 */
export async function listHelpCollections(
  db: DbOrTx,
  params: { reader: HelpReader },
): Promise<HelpCollectionViewRow[]> {
  const agent = params.reader !== null && params.reader.role !== 'customer';
  const audiences: HelpAudience[] = params.reader ? ['public', 'customers'] : ['public'];
  const counted = agent
    ? eq(a.collectionId, c.id)
    : and(eq(a.collectionId, c.id), eq(a.status, 'published'), inArray(a.audience, audiences));
  const rows = await db
    .select({
      id: c.id,
      slug: c.slug,
      title: c.title,
      description: c.description,
      position: c.position,
      articleCount: sql<number>`count(${a.id})::int`,
    })
    .from(c)
    .leftJoin(a, counted)
    .groupBy(c.id)
    .orderBy(asc(c.position), asc(c.title), asc(c.id));
  return agent ? rows : rows.filter((row) => row.articleCount > 0);
}

export type HelpCollectionFields = {
  slug: string;
  title: string;
  description: string;
  position: number;
};

/** Inserts a collection; returns its id, or 'slug_taken'. */
export async function insertHelpCollection(
  db: DbOrTx,
  params: { fields: HelpCollectionFields },
): Promise<{ id: string } | 'slug_taken'> {
  const [row] = await db
    .insert(c)
    .values(params.fields)
    .onConflictDoNothing({ target: c.slug })
    .returning({ id: c.id });
  return row ?? 'slug_taken';
}

/** Changes a collection; undefined when there is none with that id, or 'slug_taken'. */
export async function updateHelpCollection(
  db: DbOrTx,
  params: { id: string; changes: Partial<HelpCollectionFields> },
): Promise<{ id: string } | 'slug_taken' | undefined> {
  try {
    const [row] = await db
      .update(c)
      .set({ ...params.changes, updatedAt: sql`now()` })
      .where(eq(c.id, params.id))
      .returning({ id: c.id });
    return row;
  } catch (error) {
    if (isSlugTaken(error)) return 'slug_taken';
    throw error;
  }
}

/** Deletes a collection; its articles stay, in no collection. */
export async function deleteHelpCollection(db: DbOrTx, params: { id: string }): Promise<boolean> {
  const rows = await db.delete(c).where(eq(c.id, params.id)).returning({ id: c.id });
  return rows.length > 0;
}

/** One collection by id (any reader: collections themselves are not secret). */
export async function getHelpCollection(
  db: DbOrTx,
  params: { id: string },
): Promise<Omit<HelpCollectionViewRow, 'articleCount'> | undefined> {
  const [row] = await db
    .select({
      id: c.id,
      slug: c.slug,
      title: c.title,
      description: c.description,
      position: c.position,
    })
    .from(c)
    .where(eq(c.id, params.id))
    .limit(1);
  return row;
}
