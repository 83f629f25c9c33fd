import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createAuth } from '@parley/api';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildServer, type ChildServer } from './testing/child-server';

/** The resident memory of a process, in bytes (Linux). */
async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb) * 1024;
}

/** Samples a process's RSS every 10 ms while `work` runs; the highest seen. */
async function peakRssDuring(pid: number, work: () => Promise<unknown>): Promise<number> {
  let peak = await rss(pid);
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await rss(pid));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  try {
    await work();
  } finally {
    running = false;
    await sampler;
  }
  return peak;
}

const mb = 1024 * 1024;

async function uploader(port: number, db: Parameters<typeof createAuth>[0]) {
  const user = await createTestUser(db, 'customer');
  const { token } = await createAuth(db).createSession(user.id);
  return async (bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new File([bytes], 'big.pdf'));
    const response = await fetch(`http://127.0.0.1:${port}/trpc/attachments.upload`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: await response.json() };
  };
}

const pdf = (size: number) =>
  Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size)]).subarray(0, size);

/**
 * A child server over a database of its own, started outside the test's clock: under
 * load tsx alone takes tens of seconds to compile the server.
 */
function childServerFor(env: Record<string, string> = {}) {
  let database: TestDatabase;
  let server: ChildServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startChildServer({ databaseUrl: database.url, env });
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
    await database?.[Symbol.asyncDispose]();
  });
  return () => ({ database, server });
}

// Memory is what these measure; time only bounds them (a 100 MB upload into PostgreSQL
// takes long on a loaded machine).
const timeout = 240_000;

describe('uploads are streamed', () => {
  const child = childServerFor({ PARLEY_MAX_UPLOAD_MB: '200' });

  it(
    'a 100 MB upload grows the server by far less than the file (the garbage collector’s slack only)',
    { timeout },
    async () => {
      const { database, server } = child();
      const upload = await uploader(server.port, database.db);
      // Warm up: the first upload loads the sniffing and storage code.
      expect((await upload(pdf(2 * mb))).status).toBe(200);
      const before = await rss(server.pid);

      const big = pdf(100 * mb);
      let answer: { status: number; body: unknown } | undefined;
      const peak = await peakRssDuring(server.pid, async () => (answer = await upload(big)));
      expect(answer?.status).toBe(200);
      const stored = (answer?.body as { result: { data: { id: string; size: number } } }).result
        .data;
      expect(stored.size).toBe(big.length);
      const { rows } = await database.db.$client.query<{ sha256: string }>(
        'select sha256 from attachments where id = $1',
        [stored.id],
      );
      expect(rows[0]?.sha256).toBe(createHash('sha256').update(big).digest('hex'));
      // Buffered whole, the file would be in memory at least once (100 MB), in practice
      // two or three times; streamed, what grows is garbage awaiting collection (~25–30 MB).
      expect(peak - before).toBeLessThan(50 * mb);
    },
  );
});

describe('uploads over the limit', () => {
  const child = childServerFor();

  it(
    'a 26 MB upload over the default 25 MB limit is refused unread: the server does not grow',
    { timeout },
    async () => {
      const { database, server } = child();
      const upload = await uploader(server.port, database.db);
      expect((await upload(pdf(mb))).status).toBe(200);
      const before = await rss(server.pid);
      let answer: { status: number; body: unknown } | undefined;
      const peak = await peakRssDuring(
        server.pid,
        async () => (answer = await upload(pdf(26 * mb))),
      );
      expect(answer?.status).toBe(413);
      expect((answer?.body as { error: { message: string } }).error.message).toContain('25 MB');
      // Nothing of it is kept: the bytes the client sends on are read and dropped (so it can
      // see the answer); what grows is socket buffers awaiting collection, not the file.
      // (attachments-http.int.test.ts shows the answer comes before any byte is sent.)
      expect(peak - before).toBeLessThan(20 * mb);
    },
  );
});
