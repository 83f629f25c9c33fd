import {
  authorizationMatrix,
  createDeskGuest,
  createSupportDeskUsers,
  everyone,
  outcomeOf,
  type MatrixWorld,
  type ProcedureCall,
  type Who,
} from '@parley/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathCall, startTestServer, wsClient, type TestServer, type TestWsClient } from './testing';

// docs/test-plan.md: every authorization case runs over HTTP (tickets-http) and over WebSocket (here).
let t: TestServer;
let sockets: TestWsClient[] = [];
let world: MatrixWorld;

beforeAll(async () => {
  t = await startTestServer({
    limits: {
      ticketsPerUser: { max: 10_000, windowSeconds: 60 },
      widgetStartsPerIp: { max: 10_000, windowSeconds: 60 },
    },
    // The anonymous caller's socket must outlive the whole matrix: a close for "sign in
    // first" in the middle of a call is not the answer under test.
    socketCaps: { anonymousGraceMs: 10 * 60_000 },
  });
  const users = await createSupportDeskUsers(t.database.db);
  const guest = await createDeskGuest(t.database.db, users);
  const tokenOf = async (id: string) => (await t.server.services.auth.createSession(id)).token;
  const socketOf = async (who: Who) =>
    who === 'anonymous'
      ? wsClient(t.wsUrl)
      : who === 'guest'
        ? wsClient(t.wsUrl, { token: guest.guestToken })
        : wsClient(t.wsUrl, { token: await tokenOf(users[who].id) });
  const as = {} as Record<Who, ProcedureCall>;
  for (const who of everyone) {
    const socket = await socketOf(who);
    sockets.push(socket);
    as[who] = pathCall(socket.client);
  }
  world = { as, users, guest };
});
afterAll(async () => {
  for (const socket of sockets) await socket[Symbol.asyncDispose]();
  sockets = [];
  await t[Symbol.asyncDispose]();
});

describe('authorization matrix (WebSocket)', () => {
  for (const matrixCase of authorizationMatrix) {
    it(`${matrixCase.path}: ${matrixCase.name}`, async () => {
      const outcomes: Partial<Record<Who, string>> = {};
      for (const who of everyone)
        outcomes[who] = await outcomeOf(
          world.as[who](matrixCase.path, await matrixCase.input(world)),
        );
      expect(outcomes).toEqual(matrixCase.expect);
    });
  }
});
