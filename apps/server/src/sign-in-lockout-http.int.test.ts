import { createTestUser, testPassword } from '@parley/api/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing';

let t: TestServer;
beforeAll(async () => {
  // The default sign-in limits (10 wrong passwords per address and account).
  t = await startTestServer();
});
afterAll(async () => {
  await t[Symbol.asyncDispose]();
});

function signIn(email: string, password: string, cookie?: string) {
  return fetch(`${t.url}/trpc/auth.signIn`, {
    method: 'POST',
    body: JSON.stringify({ email, password }),
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
  });
}

it('lets the owner in from a device they signed in on, whatever wrong passwords came from their address', async () => {
  const admin = await createTestUser(t.database.db, 'admin');
  const first = await signIn(admin.email, testPassword);
  expect(first.status).toBe(200);
  const device = first.headers
    .getSetCookie()
    .find((c) => c.startsWith('parley_device='))
    ?.split(';')[0];
  expect(device).toMatch(/^parley_device=[\w-]+\.[\w-]+$/);

  // Eleven wrong passwords from the same address (an office NAT, say).
  for (let i = 0; i < 11; i++)
    expect((await signIn(admin.email, `guess ${i}`)).status).not.toBe(200);
  const held = await signIn(admin.email, testPassword);
  expect(held.status).toBe(429);
  const body = (await held.json()) as { error: { message: string; data: { code: string } } };
  expect(body.error.message).toBe('Too many failed sign-ins. Try again in about 15 minutes.');

  const again = await signIn(admin.email, testPassword, device);
  expect(again.status).toBe(200);
});
