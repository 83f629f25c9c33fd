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

/** Passwords are not trimmed: every character counts. */
export const password = z
  .string()
  .min(8, 'At least 8 characters')
  .max(256, 'At most 256 characters')
  .refine((s) => !s.includes('\u0000'), 'Must not contain NUL characters')
  .refine((s) => s.isWellFormed(), 'Must not contain invalid Unicode');

export const uuid = z.uuid('Must be a UUID');
