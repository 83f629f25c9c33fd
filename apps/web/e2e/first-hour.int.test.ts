import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { screenshot } from './support/browser';
import { startWorld, type TestUser } from './support/world';

type World = Awaited<ReturnType<typeof startWorld>>;

/**
 * What a new team runs into in its first hour: links to tickets that do not exist,
 * drafts, long pastes, bursts of changes, a phone, and the rating in the sidebar.
 */
describe('the first hour of a new team', () => {
  let world: World;
  let dana: TestUser;
  let cara: TestUser;
  let agent: Page;
  let customer: Page;

  beforeAll(async () => {
    world = await startWorld();
    dana = await world.createUser('agent', 'Dana Scully');
    cara = await world.createUser('customer', 'Cara Mendes');
    agent = await world.pageFor(dana);
    customer = await world.pageFor(cara);
  }, 90_000);

  afterAll(async () => {
    await world?.[Symbol.asyncDispose]();
  });

  const newTicket = async (subject: string) =>
    (await world.apiAs(cara)).tickets.create.mutate({ subject, description: `${subject}.` });

  it(
    'says at once that a ticket does not exist, with a way back',
    { timeout: 60_000 },
    async () => {
      for (const [page, path, back] of [
        [agent, `/agent/tickets/${randomUUID()}`, 'Back to the queue'],
        [agent, '/agent/tickets/not-a-uuid', 'Back to the queue'],
        [customer, `/tickets/${randomUUID()}`, 'Back to my tickets'],
        [customer, '/tickets/not-a-uuid', 'Back to my tickets'],
      ] as const) {
        // "At once" means no retries: the answer is final, so the page asks once and shows
        // it. Counted, not timed, so a busy machine cannot fail it (or hide a retry).
        const asked: string[] = [];
        const count = (request: { url(): string }) => {
          if (request.url().includes('tickets.byId')) asked.push(request.url());
        };
        page.on('request', count);
        await page.goto(path);
        await page.getByRole('heading', { name: 'Ticket not found' }).waitFor();
        page.off('request', count);
        expect(asked.length).toBeLessThanOrEqual(1);
        expect(await page.getByText('Please correct the highlighted fields').count()).toBe(0);
        expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
        await page.getByRole('link', { name: back }).click();
        await page.waitForURL(
          (url) => url.pathname === (page === agent ? '/agent/queue' : '/tickets'),
        );
      }
    },
  );

  it(
    'keeps a draft per mode: a note never moves into the reply box',
    { timeout: 60_000 },
    async () => {
      const ticket = await newTicket('Draft per mode');
      await agent.goto(`/agent/tickets/${ticket.id}`);
      await agent.getByRole('radio', { name: 'Internal note' }).click();
      const note = agent.getByLabel('Internal note (only agents can see this)');
      await note.fill('Only for the team: refund approved by finance.');
      await agent.keyboard.press('Escape');
      await agent.keyboard.press('r');
      const reply = agent.getByLabel('Reply to the customer');
      await reply.waitFor();
      expect(await reply.inputValue()).toBe('');
      await reply.fill('Hello Cara');
      await agent.keyboard.press('Escape');
      await agent.keyboard.press('n');
      expect(await note.inputValue()).toBe('Only for the team: refund approved by finance.');
      await agent.keyboard.press('Escape');
      await agent.keyboard.press('r');
      expect(await reply.inputValue()).toBe('Hello Cara');
    },
  );

  it(
    'says when a message is near or over the length limit instead of cutting it',
    { timeout: 60_000 },
    async () => {
      const ticket = await newTicket('A long paste');
      await customer.goto(`/tickets/${ticket.id}`);
      const box = customer.getByLabel('Message');
      await box.fill('x'.repeat(9_700));
      await customer.getByText('300 characters left').waitFor();
      await box.fill('y'.repeat(10_050));
      expect((await box.inputValue()).length).toBe(10_050);
      await customer.getByText('50 characters over the limit of 10,000').waitFor();
      expect(await customer.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(
        true,
      );
      await box.fill('Short again');
      expect(await customer.getByText(/characters (left|over)/).count()).toBe(0);
    },
  );

  it('folds a run of changes for agents, to open on demand', { timeout: 60_000 }, async () => {
    const ticket = await newTicket('Many changes at once');
    const api = await world.apiAs(dana);
    await api.tickets.update.mutate({ ticketId: ticket.id, assigneeId: dana.id });
    await api.tickets.update.mutate({ ticketId: ticket.id, priority: 'high' });
    await api.tickets.update.mutate({ ticketId: ticket.id, category: 'payment' });
    await api.tickets.update.mutate({ ticketId: ticket.id, status: 'in_progress' });
    await agent.goto(`/agent/tickets/${ticket.id}`);
    const fold = agent.getByRole('button', { name: /^4 changes/ });
    await fold.waitFor();
    expect(await fold.getAttribute('aria-expanded')).toBe('false');
    expect(await agent.getByText('Status changed to In progress').count()).toBe(0);
    await fold.click();
    await agent.getByText('Status changed to In progress').waitFor();
    await screenshot(agent, 'folded-changes-open');
    await agent.getByText('Dana Scully joined the conversation').waitFor();
    expect(await fold.getAttribute('aria-expanded')).toBe('true');
  });

  it('names the rating stars as an image, which axe accepts', { timeout: 60_000 }, async () => {
    const ticket = await newTicket('Rated ticket');
    const api = await world.apiAs(dana);
    await api.tickets.update.mutate({ ticketId: ticket.id, status: 'resolved' });
    await (await world.apiAs(cara)).tickets.rate.mutate({ ticketId: ticket.id, score: 4 });
    await agent.goto(`/agent/tickets/${ticket.id}`);
    await agent.getByTestId('ticket-rating').waitFor();
    expect(await seriousA11yFindings(agent)).toEqual([]);
    await agent.getByRole('img', { name: '4 out of 5' }).waitFor();
  });

  it(
    'on a phone, shows every status tab and reaches the agent’s properties without the composer in the way',
    { timeout: 90_000 },
    async () => {
      const ticket = await newTicket('Phone layout');
      await customer.setViewportSize({ width: 390, height: 844 });
      await customer.goto('/tickets');
      await customer.getByTestId('ticket-card').first().waitFor();
      const closed = customer.getByRole('button', { name: 'Closed' });
      const box = await closed.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      await closed.click();
      await customer.waitForURL((url) => url.search === '?show=closed');

      await agent.setViewportSize({ width: 390, height: 844 });
      await agent.goto(`/agent/tickets/${ticket.id}`);
      await agent.getByText('Phone layout.').waitFor();
      const details = agent.getByRole('button', { name: 'Ticket details' });
      expect(await inViewport(agent, details)).toBe(true);
      await details.click();
      const status = agent.getByLabel('Status');
      await status.waitFor();
      expect(await inViewport(agent, status)).toBe(true);
      await screenshot(agent, 'agent-details-phone');
      await status.selectOption('in_progress');
      await agent.getByRole('button', { name: 'Back to the conversation' }).click();
      expect(await inViewport(agent, agent.getByLabel('Reply to the customer'))).toBe(true);
      await customer.setViewportSize({ width: 1280, height: 800 });
      await agent.setViewportSize({ width: 1280, height: 800 });
    },
  );
});

/** Whether the element is entirely on screen, where a finger can reach it without scrolling. */
async function inViewport(page: Page, locator: ReturnType<Page['locator']>): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize();
  if (!box || !size) return false;
  return (
    box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height
  );
}
