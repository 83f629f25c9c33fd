import { createTestDatabase } from '@parley/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTokenFromCookies } from '../auth/known-devices';
import { createInnerContext, type Services } from '../context';
import type { AppError } from '../errors';
import { defaultRateLimits } from '../rate-limit';
import { createCaller, createTestUser, testPassword, testServices } from '../testing';

let test: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test[Symbol.asyncDispose]();
});

/** A browser at `ip`: it keeps the cookies sign-ins set, as a browser would. */
function browser(services: Services, ip: string) {
  let cookies = '';
  return {
    async signIn(email: string, password: string) {
      const ctx = await createInnerContext(services, {
        token: null,
        clientIp: ip,
        deviceToken: deviceTokenFromCookies(cookies),
        setCookie: (cookie) => {
          const pair = cookie.split(';')[0]!;
          const name = pair.split('=')[0]!;
          cookies = [
            ...cookies.split('; ').filter((c) => c && !c.startsWith(`${name}=`)),
            pair,
          ].join('; ');
        },
      });
      return createCaller(ctx).auth.signIn({ email, password });
    },
  };
}

/** The error of a failing call, with its retry hint. */
async function failure(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const trpc = error as TRPCError;
  return {
    code: trpc.code,
    message: trpc.message,
    retryAfterSeconds: (trpc.cause as AppError | undefined)?.details.retryAfterSeconds,
  };
}

describe('wrong passwords from someone else (test plan 30)', () => {
  it('hold back the address they come from, not the owner (with the default limits)', async () => {
    const services = testServices(test.db, {
      limits: {
        signInFailuresPerIpAndEmail: defaultRateLimits.signInFailuresPerIpAndEmail,
        signInFailuresPerAccount: defaultRateLimits.signInFailuresPerAccount,
      },
    });
    const admin = await createTestUser(test.db, 'admin');
    const attacker = browser(services, '203.0.113.66');
    for (let i = 0; i < 11; i++) await failure(attacker.signIn(admin.email, `guess ${i}`));
    const held = await failure(attacker.signIn(admin.email, testPassword));
    expect(held.code).toBe('TOO_MANY_REQUESTS');
    expect(held.message).toBe('Too many failed sign-ins. Try again in about 15 minutes.');
    expect(held.retryAfterSeconds).toBeGreaterThan(800);
    expect(held.retryAfterSeconds).toBeLessThanOrEqual(900);

    // The owner, on a device that never signed in, from their own address.
    const owner = browser(services, '198.51.100.10');
    expect((await owner.signIn(admin.email, testPassword)).user.id).toBe(admin.id);
  });

  it('from many addresses lock the account for new devices only; a known device lifts the lock', async () => {
    const services = testServices(test.db, {
      limits: { signInFailuresPerAccount: { max: 5, windowSeconds: 15 * 60 } },
    });
    const user = await createTestUser(test.db, 'agent');
    const laptop = browser(services, '198.51.100.20');
    await laptop.signIn(user.email, testPassword); // a known device from now on

    for (let i = 0; i < 5; i++) {
      const guess = await failure(browser(services, `203.0.113.${i}`).signIn(user.email, 'guess'));
      expect(guess.code).toBe('UNAUTHORIZED');
    }
    // A new device is refused even with the right password, and told how long in words.
    const phone = browser(services, '198.51.100.21');
    const locked = await failure(phone.signIn(user.email, testPassword));
    expect(locked.code).toBe('TOO_MANY_REQUESTS');
    expect(locked.message).toBe(
      'This account is locked after many failed sign-ins. Try again in about 15 minutes, or sign in from a device you used before.',
    );
    expect(locked.retryAfterSeconds).toBeGreaterThan(800);
    // An attacker is refused before the password is even checked.
    expect(
      (await failure(browser(services, '203.0.113.99').signIn(user.email, testPassword))).code,
    ).toBe('TOO_MANY_REQUESTS');

    // The owner's laptop gets through, a wrong password from it is still wrong, and its
    // sign-in lifts the lock.
    expect((await failure(laptop.signIn(user.email, 'typo'))).code).toBe('UNAUTHORIZED');
    expect((await laptop.signIn(user.email, testPassword)).user.id).toBe(user.id);
    expect((await phone.signIn(user.email, testPassword)).user.id).toBe(user.id);
  });

  it('accept a device token from apps without cookies, and no forged or foreign one', async () => {
    const services = testServices(test.db, {
      limits: { signInFailuresPerAccount: { max: 1, windowSeconds: 15 * 60 } },
    });
    const user = await createTestUser(test.db, 'customer');
    const other = await createTestUser(test.db, 'customer');
    const app = createCaller(await createInnerContext(services, { token: null }));
    const { deviceToken } = await app.auth.signIn({
      email: user.email,
      password: testPassword,
      issueToken: true,
    });
    const { deviceToken: othersToken } = await app.auth.signIn({
      email: other.email,
      password: testPassword,
      issueToken: true,
    });
    expect(deviceToken).toMatch(/^[\w-]+\.[\w-]+$/);
    await failure(app.auth.signIn({ email: user.email, password: 'guess' }));

    for (const token of [undefined, `${deviceToken}x`, othersToken, 'a.b']) {
      const refused = await failure(
        app.auth.signIn({ email: user.email, password: testPassword, deviceToken: token }),
      );
      expect(refused.code).toBe('TOO_MANY_REQUESTS');
    }
    const ok = await app.auth.signIn({ email: user.email, password: testPassword, deviceToken });
    expect(ok.user.id).toBe(user.id);
  });
});
