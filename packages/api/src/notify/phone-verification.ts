import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import {
  countPhoneCodeTry,
  isOptedOut,
  markPhoneVerified,
  notificationPhoneOf,
  removeNotificationPhone,
  signingKey,
  storePhoneCode,
  type Db,
} from '@parley/db';
import type { Channels } from '../channels/channels';
import { PermanentSendError } from '../channels/adapter';
import { AppError } from '../errors';
import { consumeRateLimit, type RateLimits } from '../rate-limit';
import { toE164 } from '../widgets/phone';

/** A code is good for this long. */
export const codeLifetimeMinutes = 10;
/** Tries at one code (right or wrong) before a new code must be asked for. */
export const maxCodeTries = 5;

type Deps = { db: Db; limits: RateLimits; channels: Channels };

/** What the settings page shows about the caller's number. */
export type PhoneStatus = {
  /** SMS is set up on this server (else the page says SMS is not available). */
  available: boolean;
  phone: string | null;
  verified: boolean;
  /** A code was sent and is still good: the page asks for it. */
  codePending: boolean;
  /** The number replied STOP (no SMS goes to it until it replies START). */
  optedOut: boolean;
};

export async function phoneStatus(deps: Deps, userId: string): Promise<PhoneStatus> {
  const available = deps.channels.adapter('sms') !== null;
  const row = await notificationPhoneOf(deps.db, userId);
  if (!row) return { available, phone: null, verified: false, codePending: false, optedOut: false };
  return {
    available,
    phone: row.phone,
    verified: row.verifiedAt !== null,
    codePending:
      row.codeHash !== null &&
      row.codeExpiresAt !== null &&
      row.codeExpiresAt > new Date() &&
      row.codeAttempts < maxCodeTries,
    optedOut: await isOptedOut(deps.db, { channel: 'sms', address: row.phone }),
  };
}

/** Whether a user may have SMS notifications: SMS set up and a verified number. */
export async function smsReady(deps: Deps, userId: string): Promise<boolean> {
  if (deps.channels.adapter('sms') === null) return false;
  return (await notificationPhoneOf(deps.db, userId))?.verifiedAt != null;
}

/**
 * Texts a new 6-digit code to `input` (normalised to E.164) for the caller, who types it
 * back to prove the number is theirs. Limited per user and per number; the code is kept
 * only as an HMAC, and expires.
 */
export async function sendPhoneCode(
  deps: Deps,
  userId: string,
  input: string,
): Promise<PhoneStatus> {
  const adapter = deps.channels.adapter('sms');
  if (!adapter) throw new AppError('BAD_REQUEST', 'SMS is not available on this server');
  const parsed = toE164(input);
  if ('error' in parsed) {
    throw new AppError('BAD_REQUEST', parsed.error, { fieldErrors: { phone: [parsed.error] } });
  }
  const phone = parsed.e164;
  if (parsePhoneNumberFromString(phone)?.getType() === 'FIXED_LINE') {
    const error = 'That is a landline number. Enter a mobile number for texts.';
    throw new AppError('BAD_REQUEST', error, { fieldErrors: { phone: [error] } });
  }
  if (await isOptedOut(deps.db, { channel: 'sms', address: phone })) {
    const from = deps.channels.settings.sms?.from;
    throw new AppError(
      'BAD_REQUEST',
      `This number replied STOP to our texts. Text START${from?.startsWith('+') ? ` to ${from}` : ''} from it, then ask for a code again.`,
    );
  }
  await consumeRateLimit(deps.db, `sms-code:user:${userId}`, deps.limits.smsCodesPerUser);
  await consumeRateLimit(deps.db, `sms-code:number:${phone}`, deps.limits.smsCodesPerNumber);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await storePhoneCode(deps.db, {
    userId,
    phone,
    codeHash: await hashCode(deps.db, userId, phone, code),
    expiresAt: new Date(Date.now() + codeLifetimeMinutes * 60_000),
  });
  try {
    await adapter.send({
      to: phone,
      text: `Your Parley verification code is ${code}. It expires in ${codeLifetimeMinutes} minutes. If you did not ask for it, ignore this text.`,
      quickReplies: [],
      media: [],
      template: null,
    });
  } catch (error) {
    if (error instanceof PermanentSendError) {
      throw new AppError('BAD_REQUEST', `We could not text this number: ${error.message}`);
    }
    throw new AppError('UNAVAILABLE', 'We could not send the code just now. Try again shortly.', {
      retryAfterSeconds: 30,
    });
  }
  return phoneStatus(deps, userId);
}

/** Checks the code the caller typed; the right one verifies their number. */
export async function verifyPhoneCode(
  deps: Deps,
  userId: string,
  code: string,
): Promise<PhoneStatus> {
  const row = await notificationPhoneOf(deps.db, userId);
  if (!row?.codeHash || !row.codeExpiresAt) {
    throw new AppError('BAD_REQUEST', 'No code is waiting: add your number to get one.');
  }
  const tries = await countPhoneCodeTry(deps.db, userId);
  if (tries > maxCodeTries) {
    throw new AppError('RATE_LIMITED', 'Too many tries at this code. Ask for a new code.');
  }
  if (row.codeExpiresAt <= new Date()) {
    throw new AppError('BAD_REQUEST', 'This code has expired. Ask for a new code.');
  }
  const expected = Buffer.from(row.codeHash, 'hex');
  const given = Buffer.from(await hashCode(deps.db, userId, row.phone, code), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    const left = maxCodeTries - tries;
    throw new AppError(
      'BAD_REQUEST',
      left > 0
        ? `That code is not right. ${left} ${left === 1 ? 'try' : 'tries'} left.`
        : 'That code is not right. Ask for a new code.',
      { fieldErrors: { code: ['That code is not right'] } },
    );
  }
  await markPhoneVerified(deps.db, userId);
  return phoneStatus(deps, userId);
}

/** Forgets the caller's number (and their SMS choices with it). */
export async function removePhone(deps: Deps, userId: string): Promise<PhoneStatus> {
  await removeNotificationPhone(deps.db, userId);
  return phoneStatus(deps, userId);
}

/** HMAC of a code, bound to the user and the number it was sent to. */
async function hashCode(db: Db, userId: string, phone: string, code: string): Promise<string> {
  const key = await signingKey(db, 'sms-code');
  return createHmac('sha256', key).update(`${userId}:${phone}:${code}`).digest('hex');
}
