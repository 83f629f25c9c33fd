import { sessions } from '@parley/db';
import { createTestDatabase } from '@parley/db/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInnerContext } from '../context';
import {
  anonymousCaller,
  createCaller,
  createTestUser,
  signedInCaller,
  testPassword,
  testServices,
} from '../testing';

let test: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test[Symbol.asyncDispose]();
});

/** The tRPC error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe('auth', () => {
  it('signs in, knows who they are, and signs out', async () => {
    const services = testServices(test.db);
    const user = await createTestUser(test.db, 'customer', { email: 'ada@example.com' });
    const cookies: string[] = [];
    const ctx = await createInnerContext(services, {
      token: null,
      setCookie: (c) => cookies.push(c),
    });
    const { token } = await createCaller(ctx).auth.signIn({
      email: '  Ada@Example.com ',
      password: testPassword,
      issueToken: true,
    });
    expect(cookies[0]).toMatch(/^parley_session=[a-z0-9]+; .*HttpOnly/i);
    expect(cookies[0]).toMatch(/SameSite=Lax/i);
    expect(token).toBeTypeOf('string');

    const me = createCaller(await createInnerContext(services, { token: token! }));
    expect(await me.auth.me()).toMatchObject({ id: user.id, email: 'ada@example.com' });
    expect(await me.auth.signOut()).toEqual({ ok: true });
    const after = createCaller(await createInnerContext(services, { token: token! }));
    expect(await after.auth.me()).toBeNull();
  });

  it('returns no token unless asked (the web app never gets one)', async () => {
    const user = await createTestUser(test.db, 'customer');
    const { caller } = await anonymousCaller(testServices(test.db));
    const result = await caller.auth.signIn({ email: user.email, password: testPassword });
    expect(result).not.toHaveProperty('token');
  });

  it('signs nobody up or in until the emailed link is used, and keeps only hashes', async () => {
    const cookies: string[] = [];
    const ctx = await createInnerContext(testServices(test.db), {
      token: null,
      setCookie: (c) => cookies.push(c),
    });
    const answer = await createCaller(ctx).auth.signUp({
      email: ' Pending@Example.com',
      password: 'the pending password',
      name: ' Pat ',
    });
    expect(answer).toEqual({ ok: true });
    expect(cookies).toEqual([]);
    expect(
      (await test.db.$client.query(`select 1 from users where email = 'pending@example.com'`))
        .rowCount,
    ).toBe(0);
    // The pending sign-up waits with its link: the password's hash, never the password.
    const pending = await test.db.$client.query<{ name: string; password_hash: string }>(
      `select name, password_hash from account_tokens where email = 'pending@example.com'`,
    );
    expect(pending.rows).toEqual([
      { name: 'Pat', password_hash: expect.stringMatching(/^\$argon2id\$/) as string },
    ]);
    const { caller } = await anonymousCaller(testServices(test.db));
    expect(
      (
        await rejection(
          caller.auth.signIn({ email: 'pending@example.com', password: 'the pending password' }),
        )
      ).code,
    ).toBe('UNAUTHORIZED');
  });

  it('refuses an unknown sign-up link, saying how to go on', async () => {
    const { caller } = await anonymousCaller(testServices(test.db));
    const error = await rejection(caller.auth.verifySignUp({ token: 'not-a-real-token' }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/expired or was already used.*Sign in, or reset your password/);
  });

  it('gives a wrong password and an unknown email the same error', async () => {
    const user = await createTestUser(test.db, 'customer');
    const { caller } = await anonymousCaller(testServices(test.db));
    const wrong = await rejection(
      caller.auth.signIn({ email: user.email, password: 'not the password' }),
    );
    const unknown = await rejection(
      caller.auth.signIn({ email: 'nobody-here@example.com', password: 'not the password' }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect({ code: unknown.code, message: unknown.message }).toEqual({
      code: wrong.code,
      message: wrong.message,
    });
    const ok = await caller.auth.signIn({ email: user.email, password: testPassword });
    expect(ok.user.id).toBe(user.id);
  });

  it('rate limits failed sign-ins per address and email, with the wait in words', async () => {
    const user = await createTestUser(test.db, 'customer');
    const services = testServices(test.db, {
      limits: { signInFailuresPerIpAndEmail: { max: 3, windowSeconds: 15 * 60 } },
    });
    const { caller } = await anonymousCaller(services);
    for (let i = 0; i < 3; i++) {
      await rejection(caller.auth.signIn({ email: user.email, password: 'wrong password' }));
    }
    const limited = await rejection(
      caller.auth.signIn({ email: user.email, password: testPassword }),
    );
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.message).toMatch(/try again in about 15 minutes/i);
  });

  it('rate limits sign-up per IP', async () => {
    const services = testServices(test.db, {
      limits: { signUpPerIp: { max: 2, windowSeconds: 60 } },
    });
    const ctx = await createInnerContext(services, { token: null, clientIp: '203.0.113.9' });
    const caller = createCaller(ctx);
    await caller.auth.signUp({ email: 'ip1@example.com', password: 'password123', name: 'A' });
    await caller.auth.signUp({ email: 'ip2@example.com', password: 'password123', name: 'B' });
    const error = await rejection(
      caller.auth.signUp({ email: 'ip3@example.com', password: 'password123', name: 'C' }),
    );
    expect(error.code).toBe('TOO_MANY_REQUESTS');
  });

  it('rate limits sign-up per email (whatever the address)', async () => {
    const services = testServices(test.db, {
      limits: { signUpPerEmail: { max: 2, windowSeconds: 60 } },
    });
    const attempt = async (ip: string) => {
      const ctx = await createInnerContext(services, { token: null, clientIp: ip });
      return createCaller(ctx).auth.signUp({
        email: 'probe@example.com',
        password: 'password123',
        name: 'P',
      });
    };
    expect(await attempt('198.51.100.1')).toEqual({ ok: true });
    expect(await attempt('198.51.100.2')).toEqual({ ok: true });
    expect((await rejection(attempt('198.51.100.3'))).code).toBe('TOO_MANY_REQUESTS');
  });

  it('rate limits sign-in per IP across many emails', async () => {
    const services = testServices(test.db, {
      limits: { signInPerIp: { max: 3, windowSeconds: 60 } },
    });
    const ctx = await createInnerContext(services, { token: null, clientIp: '198.51.100.77' });
    const caller = createCaller(ctx);
    for (let i = 0; i < 3; i++) {
      const error = await rejection(
        caller.auth.signIn({ email: `nobody${i}@example.com`, password: 'whatever1' }),
      );
      expect(error.code).toBe('UNAUTHORIZED');
    }
    const limited = await rejection(
      caller.auth.signIn({ email: 'nobody9@example.com', password: 'whatever1' }),
    );
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    // Another address is not affected.
    const other = createCaller(
      await createInnerContext(services, { token: null, clientIp: '198.51.100.78' }),
    );
    expect(
      (await rejection(other.auth.signIn({ email: 'nobody9@example.com', password: 'whatever1' })))
        .code,
    ).toBe('UNAUTHORIZED');
  });

  it('stores only hashes of session tokens: a copied row does not authenticate', async () => {
    const services = testServices(test.db);
    const user = await createTestUser(test.db, 'agent');
    const { token } = await signedInCaller(services, user.id);
    const rows = await test.db.select().from(sessions);
    const stored = rows.map((r) => r.id);
    expect(stored).not.toContain(token);
    expect(stored.every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
    for (const id of stored) {
      expect((await createInnerContext(services, { token: id })).user).toBeNull();
    }
  });

  it('sign-out-everywhere ends every session of the user', async () => {
    const services = testServices(test.db);
    const user = await createTestUser(test.db, 'customer');
    const a = await signedInCaller(services, user.id);
    const b = await signedInCaller(services, user.id);
    await a.caller.auth.signOutEverywhere();
    for (const token of [a.token, b.token]) {
      expect((await createInnerContext(services, { token })).user).toBeNull();
    }
  });

  it('a garbage, oversized or unknown token yields an anonymous context, never an error', async () => {
    const services = testServices(test.db);
    for (const token of [
      '',
      'x',
      '\u0000\u{1F600}',
      'a'.repeat(100_000),
      'abcdefghijklmnopqrstuvwxyz012345',
    ]) {
      const ctx = await createInnerContext(services, { token });
      expect(ctx.user).toBeNull();
    }
  });

  it('anonymous callers reach only the public procedures', async () => {
    const { caller } = await anonymousCaller(testServices(test.db));
    expect(await caller.auth.me()).toBeNull();
    expect((await rejection(caller.auth.signOut())).code).toBe('UNAUTHORIZED');
    expect((await rejection(caller.auth.signOutEverywhere())).code).toBe('UNAUTHORIZED');
    expect((await rejection(caller.users.list())).code).toBe('UNAUTHORIZED');
  });

  it('rejects invalid input with field errors', async () => {
    const { caller } = await anonymousCaller(testServices(test.db));
    const error = await rejection(
      caller.auth.signUp({ email: 'not-an-email', password: 'short', name: '' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
  });
});
