import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestUser, testPassword } from '@parley/api/testing';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { httpClient, startTestServer, wsClient, type TestServer } from './testing';

let t: TestServer;
let webRoot: string;
beforeAll(async () => {
  webRoot = await mkdtemp(path.join(tmpdir(), 'parley-web-'));
  await mkdir(path.join(webRoot, 'assets'));
  await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(path.join(webRoot, 'assets', 'app-1234.js'), 'console.log(1)');
  t = await startTestServer({ webRoot });
});
afterAll(async () => {
  await t[Symbol.asyncDispose]();
});

function post(pathname: string, body: string, headers: Record<string, string>) {
  return fetch(`${t.url}${pathname}`, { method: 'POST', body, headers });
}

describe('HTTP', () => {
  it('signs in with a cookie that is HttpOnly, SameSite=Lax, not Secure on localhost', async () => {
    const user = await createTestUser(t.database.db, 'customer');
    const res = await post(
      '/trpc/auth.signIn',
      JSON.stringify({ email: user.email, password: testPassword }),
      {
        'content-type': 'application/json',
      },
    );
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/parley_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const session = cookie.split(';')[0]!;
    const me = await httpClient(t.url, { cookie: session }).auth.me.query();
    expect(me?.id).toBe(user.id);
  });

  it('marks the cookie Secure for any host but localhost', async () => {
    const user = await createTestUser(t.database.db, 'customer');
    // fetch cannot set Host; a raw request can (as a reverse proxy would).
    const cookie = await new Promise<string>((resolve, reject) => {
      const req = request(`${t.url}/trpc/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', host: 'support.example.com' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(String(res.headers['set-cookie']));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ email: user.email, password: testPassword }));
    });
    expect(cookie).toMatch(/; Secure/);
  });

  it('accepts a Bearer token from another app', async () => {
    const user = await createTestUser(t.database.db, 'agent');
    const { token } = await httpClient(t.url).auth.signIn.mutate({
      email: user.email,
      password: testPassword,
      issueToken: true,
    });
    expect(token).toBeTypeOf('string');
    const me = await httpClient(t.url, { token: token! }).auth.me.query();
    expect(me).toMatchObject({ id: user.id, role: 'agent' });
  });

  it('treats a garbage cookie or token as anonymous', async () => {
    expect(
      await httpClient(t.url, { cookie: 'parley_session=%%%garbage' }).auth.me.query(),
    ).toBeNull();
    expect(await httpClient(t.url, { token: 'Bearer nonsense' }).auth.me.query()).toBeNull();
  });

  it('refuses a mutation from a foreign Origin', async () => {
    const res = await post(
      '/trpc/auth.signUp',
      JSON.stringify({ email: 'x@example.com', password: 'password123', name: 'X' }),
      {
        'content-type': 'application/json',
        origin: 'https://evil.example',
      },
    );
    expect(res.status).toBe(403);
  });

  it('allows a mutation from its own origin', async () => {
    const res = await post(
      '/trpc/auth.signUp',
      JSON.stringify({ email: 'same-origin@example.com', password: 'password123', name: 'S' }),
      {
        'content-type': 'application/json',
        origin: t.url,
      },
    );
    expect(res.status).toBe(200);
  });

  it('refuses form and text/plain bodies', async () => {
    const form = await post('/trpc/auth.signUp', 'email=a%40b.c&password=password123&name=A', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    const text = await post(
      '/trpc/auth.signUp',
      '{"email":"a@b.c","password":"password123","name":"A"}',
      {
        'content-type': 'text/plain',
      },
    );
    expect([form.status, text.status]).toEqual([403, 403]);
  });

  it('rejects malformed JSON and oversized bodies and stays up', async () => {
    const malformed = await post('/trpc/auth.signIn', '{"email":', {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    const huge = await post(
      '/trpc/auth.signIn',
      JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2_000_000) }),
      {
        'content-type': 'application/json',
      },
    );
    expect(huge.status).toBe(413);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('returns field errors for invalid input', async () => {
    const error = await httpClient(t.url)
      .auth.signUp.mutate({ email: 'nope', password: 'short', name: 'N' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<never>).data as unknown as {
      code: string;
      fieldErrors: Record<string, string[]>;
    };
    expect(data.code).toBe('BAD_REQUEST');
    expect(Object.keys(data.fieldErrors).sort()).toEqual(['email', 'password']);
  });

  it('ends every session of a disabled user', async () => {
    const admin = await createTestUser(t.database.db, 'admin');
    const agent = await createTestUser(t.database.db, 'agent');
    const adminToken = (
      await httpClient(t.url).auth.signIn.mutate({
        email: admin.email,
        password: testPassword,
        issueToken: true,
      })
    ).token!;
    const agentToken = (
      await httpClient(t.url).auth.signIn.mutate({
        email: agent.email,
        password: testPassword,
        issueToken: true,
      })
    ).token!;
    expect(await httpClient(t.url, { token: agentToken }).auth.me.query()).not.toBeNull();
    await httpClient(t.url, { token: adminToken }).users.update.mutate({
      userId: agent.id,
      disabled: true,
    });
    expect(await httpClient(t.url, { token: agentToken }).auth.me.query()).toBeNull();
    const signIn = await httpClient(t.url)
      .auth.signIn.mutate({ email: agent.email, password: testPassword })
      .catch((e: unknown) => e);
    expect((signIn as TRPCClientError<never>).data).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('reports health', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(await res.json()).toEqual({ ok: true, database: 'reachable' });
  });

  it('serves the web app with an SPA fallback and never escapes its folder', async () => {
    const deep = await fetch(`${t.url}/tickets/123`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<title>Parley</title>');
    const asset = await fetch(`${t.url}/assets/app-1234.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const escape = await fetch(`${t.url}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).toContain('<title>Parley</title>');
  });
});

describe('WebSocket', () => {
  it('authenticates with connectionParams.token', async () => {
    const user = await createTestUser(t.database.db, 'customer');
    const { token } = await httpClient(t.url).auth.signIn.mutate({
      email: user.email,
      password: testPassword,
      issueToken: true,
    });
    await using socket = wsClient(t.wsUrl, { token: token! });
    expect(await socket.client.auth.me.query()).toMatchObject({ id: user.id });
  });

  it('authenticates with the session cookie on the upgrade request', async () => {
    const user = await createTestUser(t.database.db, 'customer');
    const { token } = await httpClient(t.url).auth.signIn.mutate({
      email: user.email,
      password: testPassword,
      issueToken: true,
    });
    await using socket = wsClient(t.wsUrl, { headers: { cookie: `parley_session=${token}` } });
    expect(await socket.client.auth.me.query()).toMatchObject({ id: user.id });
  });

  it('is anonymous with garbage connectionParams', async () => {
    await using socket = wsClient(t.wsUrl, { token: 'garbage' });
    expect(await socket.client.auth.me.query()).toBeNull();
  });

  it('refuses an upgrade from a foreign Origin even with a valid cookie', async () => {
    const user = await createTestUser(t.database.db, 'customer');
    const { token } = await httpClient(t.url).auth.signIn.mutate({
      email: user.email,
      password: testPassword,
      issueToken: true,
    });
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(t.wsUrl, {
        headers: { origin: 'https://evil.example', cookie: `parley_session=${token}` },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
  });

  it('closes a connection whose frame exceeds the cap and stays up', async () => {
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(t.wsUrl);
      ws.on('open', () => ws.send('x'.repeat(1024 * 1024)));
      ws.on('close', (c) => resolve(c));
      ws.on('error', () => {});
    });
    expect(code).toBe(1009);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});
