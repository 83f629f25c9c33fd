import {
  deleteHelpCollection,
  insertHelpCollection,
  listHelpCollections,
  updateHelpCollection,
  type DbOrTx,
} from '@parley/db';
import { z } from 'zod';
import { helpCollectionOutput, slugify, toHelpCollection } from '../../domain/help';
import { notFound } from '../../errors';
import { adminProcedure, agentProcedure, publicProcedure, router } from '../../trpc';
import { slugTaken } from './articles';
import { collectionIdInput, createCollectionInput, updateCollectionInput } from './inputs';

/** The collection as the agent sees it after a change (with its article count). */
async function collectionFor(db: DbOrTx, id: string) {
  const rows = await listHelpCollections(db, { reader: { role: 'agent' } });
  const row = rows.find((candidate) => candidate.id === id);
  if (!row) throw notFound('Collection');
  return toHelpCollection(row);
}

/** `help.collections.*`: the help centre's sections. */
export const collectionsRouter = router({
  /** In order; anyone but agents gets only those with an article they may read. */
  list: publicProcedure
    .output(z.array(helpCollectionOutput))
    .query(async ({ ctx }) =>
      (await listHelpCollections(ctx.db, { reader: ctx.user })).map(toHelpCollection),
    ),

  create: agentProcedure
    .input(createCollectionInput)
    .output(helpCollectionOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await insertHelpCollection(ctx.db, {
        fields: { ...input, slug: input.slug ?? slugify(input.title) },
      });
      if (result === 'slug_taken') throw slugTaken();
      return collectionFor(ctx.db, result.id);
    }),

  update: agentProcedure
    .input(updateCollectionInput)
    .output(helpCollectionOutput)
    .mutation(async ({ ctx, input }) => {
      const { collectionId, ...changes } = input;
      const result = await updateHelpCollection(ctx.db, { id: collectionId, changes });
      if (result === 'slug_taken') throw slugTaken();
      if (!result) throw notFound('Collection');
      return collectionFor(ctx.db, result.id);
    }),

  /** Its articles stay, in no collection. */
  delete: adminProcedure
    .input(collectionIdInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      if (!(await deleteHelpCollection(ctx.db, { id: input.collectionId })))
        throw notFound('Collection');
      return { ok: true as const };
    }),
});
