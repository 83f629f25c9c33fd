import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startWorld } from './support/world';

describe('a ticket page whose refresh fails in the background', () => {
  it(
    'keeps the conversation, an unsent message and the draft on screen',
    { timeout: 150_000 },
    async () => {
      await using world = await startWorld();
      const dana = await world.createUser('agent', 'Dana Scully');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const ticket = await (
        await world.apiAs(cara)
      ).tickets.create.mutate({ subject: 'Parcel never arrived', description: 'Ten days.' });
      const customer = await world.pageFor(cara);
      await customer.goto(`/tickets/${ticket.id}`);
      await customer.getByText('Ten days.').waitFor();

      // From now on the ticket cannot be read again, and sends fail: the network is away
      // for HTTP (as while a server restarts) but the page's socket still works.
      let refreshes = 0;
      await customer.route(/\/trpc\/[^?]*tickets\.byId/, async (route) => {
        refreshes++;
        await route.abort();
      });
      await customer.route(/\/trpc\/[^?]*messages\.send/, (route) => route.abort());
      const message = customer.getByLabel('Message', { exact: true });
      await message.fill('Sent while the network was away');
      await message.press('Enter');
      await customer.getByRole('alert').filter({ hasText: 'Not sent' }).waitFor();
      await message.fill('A draft in progress');

      // The agent answers: the ticket changed (its status), so the page reads it again;
      // that fails, and fails again on each of its retries.
      await (
        await world.apiAs(dana)
      ).messages.send.mutate({
        ticketId: ticket.id,
        body: 'Looking into it',
        clientId: randomUUID(),
      });
      await customer.getByText('Looking into it').waitFor();
      await expect.poll(() => refreshes, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
      await customer.waitForTimeout(1_000);

      // The page stays: the thread, the unsent message with its retry, and the draft.
      expect(await customer.getByRole('button', { name: 'Try again' }).count()).toBe(0);
      expect(await customer.getByText('Looking into it').isVisible()).toBe(true);
      expect(await customer.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
      expect(await message.inputValue()).toBe('A draft in progress');

      // Once the network is back, the retry sends it.
      await customer.unrouteAll();
      await customer.getByRole('button', { name: 'Retry' }).click();
      await customer.getByTestId('pending-message').waitFor({ state: 'detached' });
      await customer.getByText('Sent while the network was away').waitFor();
    },
  );
});
