import { z } from 'zod';
import {
  phoneStatus,
  removePhone,
  sendPhoneCode,
  verifyPhoneCode,
} from '../notify/phone-verification';
import { router, signedInProcedure } from '../trpc';

const phoneStatusOutput = z.object({
  available: z.boolean(),
  phone: z.string().nullable(),
  verified: z.boolean(),
  codePending: z.boolean(),
  optedOut: z.boolean(),
});

export const addPhoneInput = z.strictObject({ phone: z.string().trim().min(1).max(40) });
export const verifyPhoneInput = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'The code is the 6 digits we texted you'),
});

/** The caller's own mobile number for SMS notifications (never anyone else's). */
export const notificationPhoneRouter = router({
  get: signedInProcedure
    .output(phoneStatusOutput)
    .query(({ ctx }) => phoneStatus(ctx, ctx.user.id)),

  /** Sets the caller's number (unverified) and texts it a code; also "send a new code". */
  add: signedInProcedure
    .input(addPhoneInput)
    .output(phoneStatusOutput)
    .mutation(({ ctx, input }) => sendPhoneCode(ctx, ctx.user.id, input.phone)),

  verify: signedInProcedure
    .input(verifyPhoneInput)
    .output(phoneStatusOutput)
    .mutation(({ ctx, input }) => verifyPhoneCode(ctx, ctx.user.id, input.code)),

  remove: signedInProcedure
    .output(phoneStatusOutput)
    .mutation(({ ctx }) => removePhone(ctx, ctx.user.id)),
});
