import { updateUser } from '@parley/db';
import { createTestDatabase } from '@parley/db/testing';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { createInnerContext } from './context';
import { createCaller, createTestUser, testServices } from './testing';

/** What a WebSocket connection's context holds: a socket (here one that is never read). */
const socket = { bufferedAmount: 0, holdWrites: () => {}, send: () => {}, close: () => {} };

describe('a WebSocket context lives as long as its connection', () => {
  it('sees a role change or a disable from the next call on, before the socket is closed', async () => {
    await using test = await createTestDatabase();
    const services = testServices(test.db);
    const agent = await createTestUser(test.db, 'agent');
    const { token } = await services.auth.createSession(agent.id);
    const caller = createCaller(await createInnerContext(services, { token, socket }));
    expect(Array.isArray(await caller.users.list())).toBe(true);

    // Demoted behind the connection's back (no socket closing involved).
    await updateUser(test.db, { id: agent.id, changes: { role: 'customer' } });
    const demoted = await caller.users.list().catch((e: unknown) => e);
    expect(demoted).toBeInstanceOf(TRPCError);
    expect((demoted as TRPCError).code).toBe('FORBIDDEN');

    await updateUser(test.db, { id: agent.id, changes: { disabledAt: new Date() } });
    const disabled = await caller.tickets.list().catch((e: unknown) => e);
    expect((disabled as TRPCError).code).toBe('UNAUTHORIZED');
  });
});
