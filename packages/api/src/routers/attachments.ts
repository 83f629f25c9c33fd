import { z } from 'zod';
import { uploadAttachment } from '../files/upload';
import { consumeRateLimit } from '../rate-limit';
import { participantProcedure, router } from '../trpc';

const oneFile = (form: FormData) => {
  const all = form.getAll('file');
  return all.length === 1 && all[0] instanceof File;
};

/** A `multipart/form-data` body with one file in the field `file` (tRPC's FormData input). */
export const uploadInput = z
  .instanceof(FormData)
  .refine(oneFile, { message: 'Send one file in the form field "file"', path: ['file'] })
  .transform((form) => form.get('file') as File);

export const uploadOutput = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  width: z.number().optional(),
  height: z.number().optional(),
});

/** Files for messages: uploaded first (pending), then claimed by `messages.send`/`tickets.create`. */
export const attachmentsRouter = router({
  /**
   * Signed in, or a chat-widget guest (same limits as a customer: per-file size, uploads
   * per window); one file per call, streamed to the file storage.
   */
  upload: participantProcedure
    // Counted before the body is read: a limited user's form is not even parsed.
    .use(async function uploadRateLimit({ ctx, next }) {
      await consumeRateLimit(ctx.db, `uploads:user:${ctx.user.id}`, ctx.limits.uploadsPerUser);
      return next();
    })
    .input(uploadInput)
    .output(uploadOutput)
    .mutation(({ ctx, input }) => uploadAttachment(ctx, ctx.user, input)),
});
