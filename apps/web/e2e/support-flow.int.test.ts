import { describe, expect, it } from 'vitest';
import { countText } from './support/expect-text';
import { startWorld } from './support/world';

describe('a customer and an agent, live in two browsers', () => {
  it(
    'opens, answers, notes, resolves and rates a ticket without a reload',
    { timeout: 120_000 },
    async () => {
      await using world = await startWorld();
      const dana = await world.createUser('agent', 'Dana Scully');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const agent = await world.pageFor(dana);
      const customer = await world.pageFor(cara);

      // The agent starts on the dashboard: a new ticket raises the badge and the tab title.
      await agent.getByRole('heading', { name: 'Dashboard' }).waitFor();
      expect(await agent.getByTestId('stat-unassigned').textContent()).toBe('0');

      await customer.getByRole('link', { name: 'New ticket' }).first().click();
      await customer.getByLabel('Subject').fill('Parcel never arrived');
      await customer.getByLabel('Category').selectOption('order');
      await customer.getByLabel('Order reference (optional)').fill('A-10293');
      await customer.getByLabel('Description').fill('Tracking has said "in transit" for ten days.');
      await customer.getByRole('button', { name: 'Submit ticket' }).click();
      await customer.getByRole('heading', { name: /Parcel never arrived/ }).waitFor();
      await customer.getByText('Tracking has said "in transit" for ten days.').waitFor();

      await agent.getByTestId('new-tickets-badge').filter({ hasText: '1' }).waitFor();
      await agent.getByTestId('stat-unassigned').filter({ hasText: '1' }).waitFor();
      expect(await agent.title()).toBe('(1) Dashboard · Parley');

      // In the queue (client-side navigation), the badge clears; later tickets appear live.
      await agent.getByRole('link', { name: /Queue/ }).click();
      const row = agent.getByTestId('queue-row').filter({ hasText: 'Parcel never arrived' });
      await row.waitFor();
      expect(await agent.getByTestId('new-tickets-badge').count()).toBe(0);
      const cApi = await world.apiAs(cara);
      await cApi.tickets.create.mutate({
        subject: 'Second question',
        description: 'Arrives live.',
      });
      await agent.getByTestId('queue-row').filter({ hasText: 'Second question' }).waitFor();

      // Assign to me in one click; the customer sees who joined.
      await row.getByRole('link', { name: 'Parcel never arrived' }).click();
      await agent.getByRole('button', { name: 'Assign to me' }).click();
      await agent.getByText('Assigned to you').waitFor();
      await customer.getByText('Dana Scully joined the conversation').waitFor();
      await customer.getByText('Handled by Dana Scully').waitFor();

      // Typing shows on the customer's page before the reply lands there.
      const reply = agent.getByLabel('Reply to the customer');
      await reply.click();
      await reply.pressSequentially('Sorry about that', { delay: 10 });
      await customer
        .getByTestId('typing-indicator')
        .filter({ hasText: 'Dana Scully is typing…' })
        .waitFor();
      await reply.pressSequentially(', I am checking with the carrier.');
      await reply.press('Enter');
      await customer.getByText('Sorry about that, I am checking with the carrier.').waitFor();
      await customer.getByTestId('typing-indicator').filter({ hasText: /^$/ }).waitFor();

      // An internal note, then a public reply: once the reply arrives, a leaked note would be there.
      await agent.getByRole('radio', { name: 'Internal note' }).click();
      const note = agent.getByLabel('Internal note (only agents can see this)');
      await note.fill('Carrier says it is stuck at the depot.');
      await note.press('Enter');
      await agent
        .getByTestId('internal-note')
        .filter({ hasText: 'Carrier says it is stuck at the depot.' })
        .waitFor();
      await agent.getByRole('radio', { name: 'Reply' }).click();
      await agent.getByLabel('Reply to the customer').fill('Update: a new parcel ships today.');
      await agent.getByLabel('Reply to the customer').press('Enter');
      await customer.getByText('Update: a new parcel ships today.').waitFor();
      expect(await customer.getByText('stuck at the depot').count()).toBe(0);
      expect(await customer.getByTestId('internal-note').count()).toBe(0);

      // The customer answers; the agent sees it live, and the customer sees it was read.
      const message = customer.getByLabel('Message', { exact: true });
      await message.fill('Great, thank you!');
      await message.press('Enter');
      await agent.getByText('Great, thank you!').waitFor();
      await customer.getByTestId('seen').waitFor();
      expect(await countText(customer, '.msg__body', 'Great, thank you!')).toBe(1);

      // Resolve with the keyboard; the customer is offered a rating.
      await agent.getByLabel('Reply to the customer').press('Escape');
      await agent.keyboard.press('e');
      await customer.locator('.conversation__meta').getByText('Resolved').waitFor();
      await customer.getByText('How did we do?').waitFor();

      // The agent watches the dashboard while the customer rates.
      await agent.keyboard.press('g');
      await agent.keyboard.press('d');
      await agent.getByRole('heading', { name: 'Dashboard' }).waitFor();
      expect(await agent.getByTestId('stat-csat').textContent()).toBe('—');
      await customer
        .locator('label', { has: customer.getByRole('radio', { name: /^5 stars/ }) })
        .click();
      await customer.getByLabel('Comment (optional)').fill('Quick and friendly.');
      await customer.getByRole('button', { name: 'Send rating' }).click();
      await customer.getByTestId('rating-done').waitFor();
      await agent.getByTestId('stat-csat').filter({ hasText: '5.0 / 5' }).waitFor();

      // After a reload the note is still nowhere on the customer's page.
      await customer.reload();
      await customer.getByText('Update: a new parcel ships today.').waitFor();
      expect(await customer.getByText('stuck at the depot').count()).toBe(0);
    },
  );
});
