import { deflectionOutcomes, helpArticleStatuses, helpAudiences } from '@parley/db';
import { z } from 'zod';
import { text, uuid } from '../../validation';

/** A readable address part: lower-case words and digits joined by single hyphens. */
export const slug = z
  .string()
  .max(400)
  .trim()
  .toLowerCase()
  .min(1, 'Required')
  .max(80, 'At most 80 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens');

const position = z.number().int().min(0).max(100_000);

export const listHelpArticlesInput = z
  .strictObject({
    /** The search box: every word must match; the last one may be half typed. */
    q: text(0, 200).optional(),
    /** A collection's slug. */
    collection: slug.optional(),
    audience: z.enum(helpAudiences).optional(),
    /** At most this many (default 50, maximum 100). */
    limit: z.number().int().min(1).max(100).optional(),
  })
  .optional();

export const articleBySlugInput = z.strictObject({ slug });
export const articleIdInput = z.strictObject({ articleId: uuid });

const articleFields = {
  title: text(3, 200),
  /** Made from the title when left out. */
  slug: slug.optional(),
  summary: text(0, 300),
  body: text(1, 100_000),
  audience: z.enum(helpAudiences),
  status: z.enum(helpArticleStatuses),
  position,
  collectionId: uuid.nullable(),
};

export const createArticleInput = z.strictObject({
  ...articleFields,
  summary: articleFields.summary.default(''),
  audience: articleFields.audience.default('public'),
  status: articleFields.status.default('draft'),
  position: position.default(0),
  collectionId: articleFields.collectionId.default(null),
});

export const updateArticleInput = z.strictObject({
  articleId: uuid,
  title: articleFields.title.optional(),
  slug: slug.optional(),
  summary: articleFields.summary.optional(),
  body: articleFields.body.optional(),
  audience: articleFields.audience.optional(),
  status: articleFields.status.optional(),
  position: position.optional(),
  collectionId: articleFields.collectionId.optional(),
});

export const previewArticleInput = z.strictObject({ body: z.string().max(100_000) });

export const feedbackInput = z.strictObject({ articleId: uuid, helpful: z.boolean() });

export const suggestInput = z.strictObject({
  /** A question or a ticket's subject, as typed. */
  text: text(0, 500),
  /** At most this many (default 3, maximum 10). */
  limit: z.number().int().min(1).max(10).optional(),
});

export const recordDeflectionInput = z.strictObject({
  articleIds: z.array(uuid).min(1).max(10),
  outcome: z.enum(deflectionOutcomes),
});

export const createCollectionInput = z.strictObject({
  title: text(2, 100),
  slug: slug.optional(),
  description: text(0, 300).default(''),
  position: position.default(0),
});

export const updateCollectionInput = z.strictObject({
  collectionId: uuid,
  title: text(2, 100).optional(),
  slug: slug.optional(),
  description: text(0, 300).optional(),
  position: position.optional(),
});

export const collectionIdInput = z.strictObject({ collectionId: uuid });
