import {
  helpArticleStatuses,
  helpAudiences,
  type BotAnswerViewRow,
  type HelpArticleSummaryRow,
  type HelpArticleViewRow,
  type HelpCollectionViewRow,
  type HelpReader,
} from '@parley/db';
import { z } from 'zod';
import { renderMarkdown } from './markdown';

const collectionRef = z.object({ id: z.string(), slug: z.string(), title: z.string() });

/** What only agents see of an article: its editor and its "was this helpful?" counts. */
const articleStaffOutput = z.object({
  updatedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  helpfulCount: z.number(),
  notHelpfulCount: z.number(),
  createdAt: z.string(),
});

/** An article in a list: everything but the body. `staff` only for agents. */
export const helpArticleSummaryOutput = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  summary: z.string(),
  audience: z.enum(helpAudiences),
  /** Always `published` for anyone but agents. */
  status: z.enum(helpArticleStatuses),
  position: z.number(),
  collection: collectionRef.nullable(),
  updatedAt: z.string(),
  staff: articleStaffOutput.optional(),
});

/** One article: its body as sanitised HTML, and the Markdown source for agents (editing). */
export const helpArticleOutput = helpArticleSummaryOutput.extend({
  html: z.string(),
  staff: articleStaffOutput.extend({ body: z.string() }).optional(),
});

export type HelpArticleSummary = z.infer<typeof helpArticleSummaryOutput>;
export type HelpArticle = z.infer<typeof helpArticleOutput>;

const isStaff = (reader: HelpReader) => reader !== null && reader.role !== 'customer';

export function toHelpArticleSummary(
  row: HelpArticleSummaryRow,
  reader: HelpReader,
): HelpArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    audience: row.audience,
    status: row.status,
    position: row.position,
    collection:
      row.collectionId && row.collectionSlug !== null && row.collectionTitle !== null
        ? { id: row.collectionId, slug: row.collectionSlug, title: row.collectionTitle }
        : null,
    updatedAt: row.updatedAt.toISOString(),
    ...(isStaff(reader)
      ? {
          staff: {
            updatedBy:
              row.updatedById && row.updatedByName !== null
                ? { id: row.updatedById, name: row.updatedByName }
                : null,
            helpfulCount: row.helpfulCount,
            notHelpfulCount: row.notHelpfulCount,
            createdAt: row.createdAt.toISOString(),
          },
        }
      : {}),
  };
}

export function toHelpArticle(row: HelpArticleViewRow, reader: HelpReader): HelpArticle {
  const { staff, ...summary } = toHelpArticleSummary(row, reader);
  return {
    ...summary,
    html: renderMarkdown(row.body),
    ...(staff ? { staff: { ...staff, body: row.body } } : {}),
  };
}

export const helpCollectionOutput = z.object({
  id: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  position: z.number(),
  articleCount: z.number(),
});

export const toHelpCollection = (row: HelpCollectionViewRow) => ({ ...row });

export const botAnswerOutput = z.object({
  id: z.string(),
  name: z.string(),
  phrasings: z.array(z.string()),
  reply: z.string(),
  enabled: z.boolean(),
  position: z.number(),
  article: z.object({ id: z.string(), slug: z.string(), title: z.string() }).nullable(),
  updatedAt: z.string(),
});

export function toBotAnswer(row: BotAnswerViewRow): z.infer<typeof botAnswerOutput> {
  return {
    id: row.id,
    name: row.name,
    phrasings: row.phrasings,
    reply: row.reply,
    enabled: row.enabled,
    position: row.position,
    article:
      row.articleId && row.articleSlug !== null && row.articleTitle !== null
        ? { id: row.articleId, slug: row.articleSlug, title: row.articleTitle }
        : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A readable address from a title: "Where's my order?" → "wheres-my-order". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'article';
}
