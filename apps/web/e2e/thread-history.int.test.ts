import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addLongThread } from './support/demo-data';
import { startWorld } from './support/world';

const total = 180;

/** Scrolls the thread to the top until older pages stop coming and the intro shows. */
async function scrollToBeginning(page: Page) {
  const thread = page.getByTestId('thread');
  for (let i = 0; i < 40; i++) {
    await thread.evaluate((el) => el.scrollTo({ top: 0 }));
    if (await page.getByText('Message 1', { exact: true }).isVisible()) return;
    await page.waitForTimeout(250);
  }
  throw new Error('the beginning of the thread never loaded');
}

/** Every message body the thread renders, reading it top to bottom (it is virtualized). */
async function readWholeThread(page: Page): Promise<string[]> {
  const thread = page.getByTestId('thread');
  const seen: string[] = [];
  for (let step = 0; step < 200; step++) {
    const { bodies, atEnd } = await thread.evaluate((el) => {
      const bodies = [...el.querySelectorAll('.msg__body')].map((b) => b.textContent ?? '');
      const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollBy({ top: el.clientHeight / 2 });
      return { bodies, atEnd };
    });
    // What is rendered at one time never shows a message twice.
    expect(new Set(bodies).size).toBe(bodies.length);
    for (const body of bodies) if (!seen.includes(body)) seen.push(body);
    if (atEnd) return seen;
    await page.waitForTimeout(50);
  }
  throw new Error('never reached the end of the thread');
}

describe('a long thread', () => {
  it(
    'loads older pages on scrolling up: every message once, in order',
    { timeout: 120_000 },
    async () => {
      await using world = await startWorld();
      const dana = await world.createUser('agent', 'Dana Scully');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const ticket = await (
        await world.apiAs(cara)
      ).tickets.create.mutate({ subject: 'A long story', description: 'It started in May.' });
      await addLongThread(world, ticket.id, cara.id, dana.id, total);

      const agent = await world.pageFor(dana);
      await agent.goto(`/agent/tickets/${ticket.id}`);
      await agent.getByText(`Message ${total}`, { exact: true }).waitFor();
      // Only the newest page is there at first.
      expect(await agent.getByText('Message 1', { exact: true }).count()).toBe(0);

      await scrollToBeginning(agent);
      await agent.getByText('It started in May.').waitFor(); // the ticket's intro, above it all
      const bodies = await readWholeThread(agent);
      expect(bodies).toEqual(Array.from({ length: total }, (_, i) => `Message ${i + 1}`));
    },
  );
});
