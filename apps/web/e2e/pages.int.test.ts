import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seriousA11yFindings } from './support/axe';
import { screenshot } from './support/browser';
import { addLongThread, seedDemoDesk } from './support/demo-data';
import { startWorld } from './support/world';

/** Scans the page and names it in the failure, so a report says where to look. */
async function expectAccessible(page: Page, name: string) {
  const findings = await seriousA11yFindings(page);
  expect({ page: name, findings }).toEqual({ page: name, findings: [] });
}

/**
 * Nothing scrolls sideways on a phone except what is meant to (tables, tab strips):
 * neither the page nor the thread. Names what sticks out.
 */
async function expectFitsWidth(page: Page, name: string) {
  const sticksOut = await page.evaluate(() => {
    const meantToScroll = '.table-wrap, .tabs, .topbar__nav';
    const areas = [
      document.documentElement,
      document.getElementById('main'),
      document.querySelector('.thread'),
    ];
    return areas.flatMap((area) => {
      if (!area || area.scrollWidth <= area.clientWidth + 1) return [];
      const page = area === document.documentElement;
      const right = page ? window.innerWidth : area.getBoundingClientRect().right;
      return [...area.querySelectorAll('*')]
        .filter(
          (e) => e.getBoundingClientRect().right > right + 1 && (page || !e.closest(meantToScroll)),
        )
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    });
  });
  expect({ page: name, sticksOut }).toEqual({ page: name, sticksOut: [] });
}

describe('the main pages', () => {
  it(
    'pass an axe scan, fit a phone, and are captured as screenshots',
    { timeout: 180_000 },
    async () => {
      await using world = await startWorld();
      const dana = await world.createUser('agent', 'Dana Scully');
      const sam = await world.createUser('admin', 'Sam Carter');
      const desk = await seedDemoDesk(world, dana, sam);

      // Signed out.
      const { page: visitor } = await world.chrome.newPage(world.url);
      await visitor.goto('/signin');
      await visitor.getByRole('heading', { name: 'Sign in' }).waitFor();
      await expectAccessible(visitor, 'sign in');
      await visitor.goto('/signup');
      await visitor.getByRole('button', { name: 'Create account' }).click();
      await visitor.getByText('Please correct the highlighted fields.').waitFor();
      await expectAccessible(visitor, 'sign up with errors');

      // The customer portal.
      const customer = await world.pageFor(desk.cara);
      await customer.getByTestId('ticket-card').first().waitFor();
      await expectAccessible(customer, 'my tickets');
      await customer.goto('/tickets/new');
      await customer.getByRole('button', { name: 'Submit ticket' }).click();
      await customer.getByText('Please correct the highlighted fields.').waitFor();
      await expectAccessible(customer, 'new ticket with errors');
      await customer.goto('/help');
      await expectAccessible(customer, 'help');
      await customer.goto(`/tickets/${desk.parcel.id}`);
      await customer.getByText('That is perfect, thank you so much!').waitFor();
      await expectAccessible(customer, 'customer thread');

      // The agent workspace, with a colleague on the same ticket.
      const agent = await world.pageFor(dana);
      await agent.getByTestId('stat-csat').waitFor();
      await agent.locator('.recharts-bar-rectangle').first().waitFor();
      await agent.mouse.move(0, 0);
      await expectAccessible(agent, 'dashboard');
      await screenshot(agent, 'dashboard');
      await agent.goto('/agent/queue');
      await agent.getByTestId('queue-row').nth(5).waitFor();
      await expectAccessible(agent, 'queue');
      await agent.mouse.move(0, 0);
      await screenshot(agent, 'agent-queue');

      const colleague = await world.pageFor(sam);
      await agent.goto(`/agent/tickets/${desk.parcel.id}`);
      await colleague.goto(`/agent/tickets/${desk.parcel.id}`);
      await agent
        .getByTestId('presence')
        .filter({ hasText: 'Sam Carter is also viewing' })
        .waitFor();
      await agent.getByTestId('internal-note').waitFor();
      await agent.getByRole('radio', { name: 'Internal note' }).click();
      await agent
        .getByLabel('Internal note (only agents can see this)')
        .fill('Replacement shipped with DPD Express, tracking to follow.');
      await expectAccessible(agent, 'agent ticket');
      await agent.mouse.move(0, 0);
      await screenshot(agent, 'agent-ticket');
      await agent.keyboard.press('Escape');
      await agent.keyboard.press('?');
      await agent.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await expectAccessible(agent, 'shortcuts overlay');
      await agent.keyboard.press('Escape');

      // The customer sees their thread as the agent drafts a reply.
      await agent.getByRole('radio', { name: 'Reply' }).click();
      await agent.getByLabel('Reply to the customer').pressSequentially('Good news', { delay: 10 });
      await customer
        .getByTestId('typing-indicator')
        .filter({ hasText: 'Dana Scully is typing…' })
        .waitFor();
      await customer.mouse.move(0, 0);
      await screenshot(customer, 'customer-thread');

      await colleague.goto('/admin/people');
      await colleague.getByTestId('person-row').nth(1).waitFor();
      await expectAccessible(colleague, 'people admin');

      // Phone width.
      for (const [page, path, ready] of [
        [customer, `/tickets/${desk.parcel.id}`, 'That is perfect, thank you so much!'],
        [customer, '/tickets', 'Parcel never arrived'],
        [agent, '/agent/queue', 'Wrong size delivered'],
        [agent, `/agent/tickets/${desk.parcel.id}`, 'That is perfect, thank you so much!'],
      ] as const) {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.goto(path);
        await page.getByText(ready).first().waitFor();
        await expectFitsWidth(page, path);
      }
      await expectAccessible(agent, 'agent ticket on a phone');

      // A 5,000-message thread renders only what is on screen, and pages back in place.
      const long = await desk.as.lena.tickets.create.mutate({
        subject: 'A very long conversation',
        description: 'Long.',
      });
      await addLongThread(world, long.id, desk.lena.id, dana.id, 5000);
      await agent.setViewportSize({ width: 1280, height: 800 });
      await agent.goto(`/agent/tickets/${long.id}`);
      await agent.getByText('Message 5000', { exact: true }).waitFor();
      expect(await agent.locator('.thread__row').count()).toBeLessThan(60);
      const thread = agent.getByTestId('thread');
      await thread.evaluate((element) => element.scrollTo({ top: 0 }));
      await agent.getByText('Message 4950', { exact: true }).waitFor();
      // The row that was at the top stays in view: the list did not jump to the new top.
      expect(await thread.evaluate((element) => element.scrollTop)).toBeGreaterThan(1000);
      expect(await agent.locator('.thread__row').count()).toBeLessThan(60);
    },
  );
});
