import { createAuth } from '@parley/api';
import { createTestUser } from '@parley/api/testing';
import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './testing';
import { queryCall, rawSocket, type RawSocket } from './testing/raw-socket';
import { capCloseCodes } from './socket-caps';

/** test plan 27: one user, session or IP opening thousands of sockets is capped. */
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database[Symbol.asyncDispose]();
});

const session = async (userId: string) =>
  (await createAuth(database.db).createSession(userId)).token;

/** Opens a signed-in socket and waits until a call is answered, or the socket is closed. */
async function open(wsUrl: string, token?: string): Promise<RawSocket & { code: number | null }> {
  const socket = await rawSocket(wsUrl, token ? { token } : {});
  socket.send(queryCall(1, 'auth.me'));
  const code = await Promise.race([
    socket.closed,
    socket.until(() => socket.answers.length > 0, 'an answer').then(() => null),
  ]);
  return Object.assign(socket, { code });
}

describe('sockets per session and per user', () => {
  it('refuses the socket past the cap with 4429; a freed slot can be taken again', async () => {
    await using server = await startTestServer({
      database,
      socketCaps: { perSession: 3, perUser: 4, perIp: 100 },
    });
    const user = await createTestUser(database.db, 'customer');
    const first = await session(user.id);
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await open(server.wsUrl, first));
    expect(sockets.map((s) => s.code)).toEqual([null, null, null]);
    const overSession = await open(server.wsUrl, first);
    expect(overSession.code).toBe(capCloseCodes.tooManySockets);

    // Another session of the same user: one more fits the user's cap of 4, then no more.
    const second = await session(user.id);
    const fourth = await open(server.wsUrl, second);
    expect(fourth.code).toBe(null);
    expect((await open(server.wsUrl, second)).code).toBe(capCloseCodes.tooManySockets);

    // Someone else is not affected.
    const other = await createTestUser(database.db, 'customer');
    expect((await open(server.wsUrl, await session(other.id))).code).toBe(null);

    // Closing one frees its slot.
    await sockets[0]![Symbol.asyncDispose]();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await open(server.wsUrl, first)).code).toBe(null);
  });
});

describe('sockets per IP', () => {
  it('refuses the upgrade past the cap with HTTP 429', async () => {
    await using server = await startTestServer({ database, socketCaps: { perIp: 5 } });
    const sockets = [];
    for (let i = 0; i < 5; i++) sockets.push(await rawSocket(server.wsUrl));
    await expect(rawSocket(server.wsUrl)).rejects.toThrow(/429/);
    await sockets[0]![Symbol.asyncDispose]();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await using again = await rawSocket(server.wsUrl);
    expect(again.ws.readyState).toBe(again.ws.OPEN);
  });
});

describe('anonymous sockets', () => {
  it('are closed with 4408 after the grace period; signed-in ones stay', async () => {
    await using server = await startTestServer({ database, socketCaps: { anonymousGraceMs: 300 } });
    const user = await createTestUser(database.db, 'customer');
    await using anonymous = await open(server.wsUrl);
    await using signedIn = await open(server.wsUrl, await session(user.id));
    expect(await anonymous.closed).toBe(capCloseCodes.signInRequired);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(signedIn.ws.readyState).toBe(signedIn.ws.OPEN);
  });

  it('are not cut off while the server is still checking their sign-in', async () => {
    // On a busy machine checking a session took longer than the grace period, and a
    // signed-in socket was closed as anonymous. Here the check waits on a table lock.
    await using server = await startTestServer({ database, socketCaps: { anonymousGraceMs: 300 } });
    const user = await createTestUser(database.db, 'customer');
    const token = await session(user.id);
    const lock = await database.db.$client.connect();
    try {
      await lock.query('begin');
      await lock.query('lock table sessions in access exclusive mode');
      const signedIn = rawSocket(server.wsUrl, { token });
      await new Promise((resolve) => setTimeout(resolve, 1500)); // five grace periods
      await lock.query('commit');
      await using socket = await signedIn;
      socket.send(queryCall(1, 'auth.me'));
      await socket.until(() => socket.answers.length > 0, 'an answer');
      expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    } finally {
      lock.release();
    }
  });
});
