import { createTestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createInnerContext } from '../context';
import { createCaller, createTestUser, testServices } from '../testing';

let test: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test[Symbol.asyncDispose]();
});

/**
 * docs/test-plan.md 11: an unknown email takes as long as a wrong password. Measured as the
 * process's CPU time (argon2 runs on worker threads, which it includes), not wall
 * time, so other work on a shared machine does not decide the outcome: the decoy
 * verification must cost what a real one costs, and both far more than a lookup.
 */
it('spends the same work on an unknown email as on a wrong password', async () => {
  const limit = { max: 1000, windowSeconds: 60 };
  const services = testServices(test.db, {
    limits: {
      signInFailuresPerIpAndEmail: limit,
      signInFailuresPerAccount: limit,
      signInPerIp: limit,
    },
  });
  const caller = createCaller(await createInnerContext(services, { token: null }));
  const known = await createTestUser(test.db, 'customer', { email: 'known@example.com' });

  const cpuOf = async (email: string) => {
    const start = process.cpuUsage();
    const error = await caller.auth.signIn({ email, password: 'not the password at all' }).then(
      () => null,
      (e: unknown) => e,
    );
    const used = process.cpuUsage(start);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Wrong email or password' });
    return used.user + used.system;
  };
  await cpuOf(known.email); // warm up: the decoy hash is made on first use
  await cpuOf('nobody@example.com');

  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < 6; i++) {
    unknown.push(await cpuOf(`nobody-${i}@example.com`));
    wrong.push(await cpuOf(known.email));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  const ratio = median(unknown) / median(wrong);
  expect(ratio).toBeGreaterThan(0.6);
  expect(ratio).toBeLessThan(1.6);
  // Both include a real argon2id verification (m=19 MiB, t=2): milliseconds of CPU.
  expect(median(wrong)).toBeGreaterThan(5_000);
});

/**
 * Sign-up must not tell a taken email from a new one by its cost either: both hash the
 * password (argon2id) and queue one email. CPU time, as above.
 */
it('spends the same work on sign-up for a taken email as for a new one', async () => {
  const limit = { max: 1000, windowSeconds: 60 };
  const services = testServices(test.db, { limits: { signUpPerIp: limit, signUpPerEmail: limit } });
  const caller = createCaller(await createInnerContext(services, { token: null }));
  const taken = await createTestUser(test.db, 'customer', { email: 'taken@example.com' });

  const cpuOf = async (email: string) => {
    const start = process.cpuUsage();
    const answer = await caller.auth.signUp({ email, password: 'a new password', name: 'N' });
    const used = process.cpuUsage(start);
    expect(answer).toEqual({ ok: true });
    return used.user + used.system;
  };
  await cpuOf(taken.email); // warm up
  await cpuOf('new-warm-up@example.com');

  const fresh: number[] = [];
  const known: number[] = [];
  for (let i = 0; i < 6; i++) {
    fresh.push(await cpuOf(`new-${i}@example.com`));
    known.push(await cpuOf(taken.email));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
  const ratio = median(fresh) / median(known);
  expect(ratio).toBeGreaterThan(0.6);
  expect(ratio).toBeLessThan(1.6);
  expect(median(known)).toBeGreaterThan(5_000);
});
