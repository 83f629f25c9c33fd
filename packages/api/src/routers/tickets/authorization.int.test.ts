import { createTestDatabase, type TestDatabase } from '@parley/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizationMatrix,
  callerCall,
  createDeskGuest,
  createSupportDeskUsers,
  everyone,
  outcomeOf,
  supportDeskCallers,
  testServices,
  type MatrixWorld,
  type ProcedureCall,
  type Who,
} from '../../testing';

let test: TestDatabase;
let world: MatrixWorld;
beforeAll(async () => {
  test = await createTestDatabase();
  const users = await createSupportDeskUsers(test.db);
  const guest = await createDeskGuest(test.db, users);
  const callers = await supportDeskCallers(testServices(test.db), users, guest);
  const as = Object.fromEntries(everyone.map((who) => [who, callerCall(callers[who])])) as Record<
    Who,
    ProcedureCall
  >;
  world = { as, users, guest };
});
afterAll(async () => {
  await test[Symbol.asyncDispose]();
});

describe('authorization matrix (router callers)', () => {
  for (const matrixCase of authorizationMatrix) {
    it(`${matrixCase.path}: ${matrixCase.name}`, async () => {
      const outcomes: Partial<Record<Who, string>> = {};
      for (const who of everyone) {
        const input = await matrixCase.input(world);
        outcomes[who] = await outcomeOf(world.as[who](matrixCase.path, input));
      }
      expect(outcomes).toEqual(matrixCase.expect);
    });
  }
});
