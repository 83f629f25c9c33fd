import {
  clearRateLimit as clearRateLimitRow,
  hitRateLimit,
  peekRateLimit,
  type Db,
  type DbOrTx,
  type RateLimitHit,
} from '@parley/db';
import { AppError } from './errors';

export type Limit = { max: number; windowSeconds: number };

/** Every limit Parley enforces, in one place; tests shrink them through the context. */
export type RateLimits = {
  /** Every sign-in attempt from one address, whatever the account. */
  signInPerIp: Limit;
  /** Failed sign-ins from one address to one account: that address is held back. */
  signInFailuresPerIpAndEmail: Limit;
  /**
   * Failed sign-ins to one account from every address: the account is locked for
   * devices it never signed in from (a known device, or a new password, gets through).
   */
  signInFailuresPerAccount: Limit;
  signUpPerIp: Limit;
  signUpPerEmail: Limit;
  /** "Forgot your password?" requests from one address, and for one email. */
  passwordResetsPerIp: Limit;
  passwordResetsPerEmail: Limit;
  /** Reset and invitation links tried from one address (a wrong token counts too). */
  accountLinksPerIp: Limit;
  ticketsPerUser: Limit;
  messagesPerUser: Limit;
  /** `tickets.close`, `tickets.reopen` and `tickets.rate`, together. */
  ticketActionsPerUser: Limit;
  /** `attachments.upload`. */
  uploadsPerUser: Limit;
  /** "Was this helpful?" answers from one address, on any article. */
  helpFeedbackPerIp: Limit;
  /** Deflection records (articles opened from the new-ticket form) of one user. */
  helpDeflectionsPerUser: Limit;
  /** Chats started (guest sessions created) from one address, and on one site. */
  widgetStartsPerIp: Limit;
  widgetStartsPerSite: Limit;
  /** Verification codes texted to a user's number for SMS notifications, and to one number. */
  smsCodesPerUser: Limit;
  smsCodesPerNumber: Limit;
};

export const defaultRateLimits: RateLimits = {
  signInPerIp: { max: 50, windowSeconds: 15 * 60 },
  signInFailuresPerIpAndEmail: { max: 10, windowSeconds: 15 * 60 },
  signInFailuresPerAccount: { max: 100, windowSeconds: 15 * 60 },
  signUpPerIp: { max: 20, windowSeconds: 60 * 60 },
  signUpPerEmail: { max: 5, windowSeconds: 60 * 60 },
  passwordResetsPerIp: { max: 20, windowSeconds: 60 * 60 },
  passwordResetsPerEmail: { max: 5, windowSeconds: 60 * 60 },
  accountLinksPerIp: { max: 30, windowSeconds: 60 * 60 },
  ticketsPerUser: { max: 20, windowSeconds: 60 * 60 },
  messagesPerUser: { max: 120, windowSeconds: 60 },
  ticketActionsPerUser: { max: 30, windowSeconds: 10 * 60 },
  uploadsPerUser: { max: 60, windowSeconds: 10 * 60 },
  helpFeedbackPerIp: { max: 30, windowSeconds: 60 * 60 },
  helpDeflectionsPerUser: { max: 60, windowSeconds: 60 * 60 },
  widgetStartsPerIp: { max: 10, windowSeconds: 60 * 60 },
  widgetStartsPerSite: { max: 2000, windowSeconds: 60 * 60 },
  smsCodesPerUser: { max: 3, windowSeconds: 60 * 60 },
  smsCodesPerNumber: { max: 5, windowSeconds: 60 * 60 },
};

/** A wait as people say it: "a few seconds", "about a minute", "about 15 minutes", "about 2 hours". */
export function waitInWords(seconds: number): string {
  if (seconds < 45) return 'a few seconds';
  const minutes = Math.round(seconds / 60);
  if (minutes <= 1) return 'about a minute';
  if (minutes < 60) return `about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours === 1 ? 'about an hour' : `about ${hours} hours`;
}

/** RATE_LIMITED with the wait in words in the message and in seconds in `retryAfterSeconds`. */
export function rateLimited(
  retryAfterSeconds: number,
  message = (wait: string) => `Too many requests. Try again in ${wait}.`,
): AppError {
  const seconds = Math.max(1, retryAfterSeconds);
  return new AppError('RATE_LIMITED', message(waitInWords(seconds)), {
    retryAfterSeconds: seconds,
  });
}

/**
 * Counts one hit against `key` in a fixed window shared by all server processes.
 * Returns the count in the current window and the seconds until it resets.
 */
export async function countRateLimitHit(
  db: Db,
  key: string,
  limit: Limit,
): Promise<{ count: number; retryAfterSeconds: number }> {
  const hit = await hitRateLimit(db, { key, windowSeconds: limit.windowSeconds });
  return { count: hit?.count ?? 0, retryAfterSeconds: hit?.retryAfter ?? limit.windowSeconds };
}

/** Counts one hit against `key`; throws RATE_LIMITED (with the wait) once over `max`. */
export async function consumeRateLimit(db: Db, key: string, limit: Limit): Promise<void> {
  assertWithinLimit(await hitRateLimit(db, { key, windowSeconds: limit.windowSeconds }), limit);
}

/** Throws RATE_LIMITED (with the wait) when a hit counted (`hitRateLimit`) is over `max`. */
export function assertWithinLimit(hit: RateLimitHit | undefined, limit: Limit): void {
  if ((hit?.count ?? 0) > limit.max) throw rateLimited(hit?.retryAfter ?? limit.windowSeconds);
}

/**
 * The seconds until `key`'s window resets when it has reached `max` hits already, else
 * null. Counts nothing: for limits that count failures, checked before the attempt.
 */
export async function rateLimitReached(
  db: DbOrTx,
  key: string,
  limit: Limit,
): Promise<number | null> {
  const row = await peekRateLimit(db, { key, windowSeconds: limit.windowSeconds });
  return row && row.count >= limit.max ? Math.max(1, row.retryAfter) : null;
}

/** Forgets `key`'s hits (a success that lifts a lockout). */
export async function clearRateLimit(db: DbOrTx, key: string): Promise<void> {
  await clearRateLimitRow(db, { key });
}
