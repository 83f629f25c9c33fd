import { describe, expect, it } from 'vitest';
import { startWorld } from './support/world';

describe('the agent queue', () => {
  it(
    'narrows with filters and search, and keeps them in the URL across a reload',
    { timeout: 90_000 },
    async () => {
      await using world = await startWorld();
      const dana = await world.createUser('agent', 'Dana Scully');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const cApi = await world.apiAs(cara);
      const dApi = await world.apiAs(dana);
      const refund = await cApi.tickets.create.mutate({
        subject: 'Refund for a broken kettle',
        description: 'It arrived cracked.',
        category: 'payment',
        priority: 'urgent',
      });
      await cApi.tickets.create.mutate({
        subject: 'Parcel never arrived',
        description: 'Still in transit.',
        category: 'order',
        priority: 'high',
      });
      await cApi.tickets.create.mutate({
        subject: 'Change my email',
        description: 'New address.',
        category: 'account',
        priority: 'low',
      });
      const done = await cApi.tickets.create.mutate({
        subject: 'Refund already received',
        description: 'All good.',
        category: 'payment',
      });
      await dApi.tickets.update.mutate({ ticketId: done.id, status: 'resolved' });
      await dApi.tickets.update.mutate({ ticketId: refund.id, assigneeId: dana.id });

      const agent = await world.pageFor(dana);
      await agent.goto('/agent/queue');
      const rows = agent.getByTestId('queue-row');
      const subjects = async () => (await rows.locator('.table__subject').allTextContents()).sort();
      await rows.nth(3).waitFor();
      expect(await rows.count()).toBe(4);

      // Full-text search (the description matches too), typed after pressing "/".
      await agent.keyboard.press('/');
      await agent.keyboard.type('refund');
      await agent.waitForURL(/q=refund/);
      await agent.getByText('2 tickets match these filters').waitFor();
      expect(await subjects()).toEqual(['Refund already received', 'Refund for a broken kettle']);

      // Status chips and the category select narrow further.
      await agent.getByRole('button', { name: 'Resolved', exact: true }).click();
      await agent.getByText('1 ticket matches these filters').waitFor();
      expect(await subjects()).toEqual(['Refund already received']);
      await agent.getByRole('button', { name: 'Resolved', exact: true }).click();
      await agent.getByRole('button', { name: 'Open', exact: true }).click();
      await agent.getByLabel('Category').selectOption('payment');
      await agent.getByRole('button', { name: 'Me', exact: true }).click();
      await agent.waitForURL((url) => url.searchParams.get('assignee') === 'me');
      await agent.getByText('1 ticket matches these filters').waitFor();
      expect(await subjects()).toEqual(['Refund for a broken kettle']);

      const url = new URL(agent.url());
      expect(Object.fromEntries(url.searchParams)).toEqual({
        status: 'open',
        category: 'payment',
        assignee: 'me',
        q: 'refund',
      });

      // The view survives a reload, and a shared link opens it the same way.
      await agent.reload();
      await agent.getByText('1 ticket matches these filters').waitFor();
      expect(await subjects()).toEqual(['Refund for a broken kettle']);
      expect(await agent.getByLabel('Search tickets').inputValue()).toBe('refund');
      expect(
        await agent.getByRole('button', { name: 'Me', exact: true }).getAttribute('aria-pressed'),
      ).toBe('true');
      expect(await agent.getByLabel('Category').inputValue()).toBe('payment');

      // Clearing brings everything back.
      await agent.getByRole('button', { name: 'Clear filters' }).click();
      await agent.getByText('4 tickets', { exact: true }).waitFor();
      expect(new URL(agent.url()).search).toBe('');
    },
  );
});
