import { hitRateLimit, type DbOrTx } from '@parley/db';
import { AppError } from './errors';

export type Limit = { max: number; windowSeconds: number };

/** Every limit Parley enforces, in one place; tests shrink them through the context. */
export type RateLimits = {
  signInPerEmail: Limit;
  signInPerIp: Limit;
  signUpPerIp: Limit;
  signUpPerEmail: Limit;
  ticketsPerUser: Limit;
  messagesPerUser: Limit;
};

export const defaultRateLimits: RateLimits = {
  signInPerEmail: { max: 10, windowSeconds: 15 * 60 },
  signInPerIp: { max: 50, windowSeconds: 15 * 60 },
  signUpPerIp: { max: 20, windowSeconds: 60 * 60 },
  signUpPerEmail: { max: 5, windowSeconds: 60 * 60 },
  ticketsPerUser: { max: 20, windowSeconds: 60 * 60 },
  messagesPerUser: { max: 120, windowSeconds: 60 },
};

/**
 * Counts one hit against `key` in a fixed window shared by all server processes;
 * throws RATE_LIMITED (with the seconds until the window resets) once over `max`.
 */
export async function consumeRateLimit(db: DbOrTx, key: string, limit: Limit): Promise<void> {
  const hit = await hitRateLimit(db, { key, windowSeconds: limit.windowSeconds });
  if (hit && hit.count > limit.max) {
    const retryAfterSeconds = Math.max(1, hit.retryAfter);
    throw new AppError('RATE_LIMITED', `Too many requests. Try again in ${retryAfterSeconds} s.`, {
      retryAfterSeconds,
    });
  }
}
