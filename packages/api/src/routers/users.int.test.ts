import { createTestDatabase } from '@parley/db/testing';
import { describe, expect, it } from 'vitest';
import { createTestUser, signedInCaller, testServices } from '../testing';

describe('users.list for the People page', () => {
  it('gives admins everyone, customers and disabled accounts included, by role, search and limit', async () => {
    await using test = await createTestDatabase();
    const services = testServices(test.db);
    const admin = await createTestUser(test.db, 'admin', { name: 'Ada Admin' });
    const agent = await createTestUser(test.db, 'agent', { name: 'Bo Agent' });
    await createTestUser(test.db, 'customer', { name: 'Cy Customer' });
    await createTestUser(test.db, 'customer', { name: 'Di Customer' });
    const { caller } = await signedInCaller(services, admin.id);
    await caller.users.update({ userId: agent.id, role: 'customer' });
    await caller.users.update({ userId: agent.id, disabled: true });

    const everyone = await caller.users.list();
    expect(everyone.map((u) => [u.name, u.role, 'disabled' in u && u.disabled])).toEqual([
      ['Ada Admin', 'admin', false],
      ['Bo Agent', 'customer', true],
      ['Cy Customer', 'customer', false],
      ['Di Customer', 'customer', false],
    ]);
    const customers = await caller.users.list({ role: ['customer'], limit: 2 });
    expect(customers.map((u) => u.name)).toEqual(['Bo Agent', 'Cy Customer']);
    expect((await caller.users.list({ q: 'di cus' })).map((u) => u.name)).toEqual(['Di Customer']);
    await expect(caller.users.list({ limit: 201 })).rejects.toThrow();
  });
});
