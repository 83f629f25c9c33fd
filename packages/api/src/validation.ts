import { z } from 'zod';

/**
 * A user-supplied string: trimmed, length-checked after trimming, and free of NUL
 * bytes and lone surrogates (which Postgres or JSON would choke on later).
 */
export function text(min: number, max: number) {
  return z
    .string()
    .max(max * 4) // cheap guard before the trim and the scans below
    .trim()
    .min(min, min === 1 ? 'Required' : `At least ${min} characters`)
    .max(max, `At most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'Must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'Must not contain invalid Unicode');
}

export const email = z
  .string()
  .max(320)
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address').max(254, 'At most 254 characters'));

const passwordLength = { min: 8, max: 256 };

/** The password rule in words, for places without a form field to show it under (the CLI). */
export const passwordRule = `The password must be ${passwordLength.min} to ${passwordLength.max} characters`;

/** A new password (sign-up, new accounts, the CLI). Not trimmed: every character counts. */
export const password = z
  .string()
  .min(passwordLength.min, `At least ${passwordLength.min} characters`)
  .max(passwordLength.max, `At most ${passwordLength.max} characters`)
  .refine((s) => !s.includes('\u0000'), 'Must not contain NUL characters')
  .refine((s) => s.isWellFormed(), 'Must not contain invalid Unicode');

export const uuid = z.uuid('Must be a UUID');
