import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuth } from '@parley/api';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBatchSize } from './app';
import { startTestServer, type TestServer } from './testing';
import { queryCall, rawSocket } from './testing/raw-socket';

/** test plan 29: batched calls over HTTP and WebSocket, and calls in flight per socket. */
let database: TestDatabase;
let server: TestServer;
let token: string;
let webRoot: string;
beforeAll(async () => {
  database = await createTestDatabase();
  // A web root of its own: the static files and the SPA fallback decode the path.
  webRoot = await mkdtemp(path.join(tmpdir(), 'parley-web-'));
  await writeFile(path.join(webRoot, 'index.html'), '<!doctype html><title>Parley</title>');
  server = await startTestServer({ database, webRoot });
  const user = await createTestUser(database.db, 'customer');
  ({ token } = await createAuth(database.db).createSession(user.id));
});
afterAll(async () => {
  await server[Symbol.asyncDispose]();
  await database[Symbol.asyncDispose]();
  await rm(webRoot, { recursive: true, force: true });
});

const paths = (n: number) => Array.from({ length: n }, () => 'auth.me').join(',');

describe('batch size', () => {
  it(`answers a GET batch of ${maxBatchSize} and refuses one of ${maxBatchSize + 1} with 400`, async () => {
    const get = (n: number) =>
      fetch(`${server.url}/trpc/${paths(n)}?batch=1&input=${encodeURIComponent('{}')}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await get(maxBatchSize)).status).toBe(200);
    const refused = await get(maxBatchSize + 1);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('Batch call exceeds maximum size');
  });

  it(`refuses a POST batch of ${maxBatchSize + 1} mutations with 400`, async () => {
    const names = Array.from({ length: maxBatchSize + 1 }, () => 'auth.signOut').join(',');
    const body = JSON.stringify(
      Object.fromEntries(Array.from({ length: maxBatchSize + 1 }, (_, i) => [i, {}])),
    );
    const response = await fetch(`${server.url}/trpc/${names}?batch=1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(400);
    // The session is still there: none of the calls ran.
    const me = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(JSON.stringify(await me.json())).toContain('"email"');
  });

  it(`answers every call of a WebSocket frame of ${maxBatchSize + 1} with BAD_REQUEST, running none`, async () => {
    await using socket = await rawSocket(server.wsUrl, { token });
    socket.send(Array.from({ length: maxBatchSize + 1 }, (_, i) => queryCall(i + 1, 'auth.me')));
    await socket.until(() => socket.answers.length === maxBatchSize + 1, 'every call answered');
    expect(socket.answers.every((a) => a.error?.data?.code === 'BAD_REQUEST')).toBe(true);
    // The socket still serves a frame within the limit.
    socket.send(Array.from({ length: 3 }, (_, i) => queryCall(100 + i, 'auth.me')));
    await socket.until(() => socket.answers.length === maxBatchSize + 4, 'the next frame answered');
    expect(socket.answers.slice(-3).every((a) => a.result?.type === 'data')).toBe(true);
  });
});

describe('calls in flight on one socket', () => {
  it('answers calls past the cap with TOO_MANY_REQUESTS at once, and the rest normally', async () => {
    await using socket = await rawSocket(server.wsUrl, { token });
    socket.send(Array.from({ length: maxBatchSize }, (_, i) => queryCall(i + 1, 'auth.me')));
    await socket.until(() => socket.answers.length === maxBatchSize, 'every call answered');
    const ok = socket.answers.filter((a) => a.result?.type === 'data').length;
    const refused = socket.answers.filter(
      (a) => a.error?.data?.code === 'TOO_MANY_REQUESTS',
    ).length;
    expect(ok).toBe(32);
    expect(refused).toBe(maxBatchSize - 32);
    // Answered calls no longer count: the next frame is served in full.
    socket.send(Array.from({ length: 32 }, (_, i) => queryCall(1000 + i, 'auth.me')));
    await socket.until(
      () => socket.answers.length === maxBatchSize + 32,
      'the next frame answered',
    );
    expect(socket.answers.slice(-32).every((a) => a.result?.type === 'data')).toBe(true);
  });
});

describe('malformed requests', () => {
  it.each(['/%', '/%E0%A4%A', '/tickets/%zz', '/trpc/%zz'])('GET %s answers 400', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(400);
  });

  it('a GET to a subscription path answers 405, not an event stream', async () => {
    const input = encodeURIComponent(
      JSON.stringify({ ticketId: '00000000-0000-4000-8000-000000000000' }),
    );
    const response = await fetch(`${server.url}/trpc/realtime.onTicket?input=${input}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('content-type')).not.toContain('text/event-stream');
  });
});
