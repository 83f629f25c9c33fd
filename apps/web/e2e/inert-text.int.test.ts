import { randomUUID } from 'node:crypto';
import { createTestUser, testPassword } from '@parley/api/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startWorld } from './support/world';

/** Each payload sets `window.pwned` if it ever runs, or leaves an element behind if parsed. */
const payloads = {
  name: `<img src=x onerror="window.pwned='name'">Eve`,
  subject: `<script>window.pwned='subject'</script>Refund please`,
  description: `<img src=x onerror="window.pwned='description'"> order 42`,
  body: `<b id="injected">bold?</b><img src=x onerror="window.pwned='body'"> [click](javascript:window.pwned='link')`,
};

/** The payloads show as the text that was typed, and none of them ran or became markup. */
async function expectInert(page: Page, where: string, texts: string[]) {
  for (const text of texts) await page.getByText(text).first().waitFor();
  const found = await page.evaluate(() => ({
    pwned: (window as { pwned?: string }).pwned ?? null,
    images: document.querySelectorAll('img[src="x"]').length,
    injected: document.getElementById('injected') !== null,
    scripts: [...document.scripts].filter((s) => s.textContent?.includes('pwned')).length,
    javascriptLinks: document.querySelectorAll('a[href^="javascript:"]').length,
  }));
  expect({ where, ...found }).toEqual({
    where,
    pwned: null,
    images: 0,
    injected: false,
    scripts: 0,
    javascriptLinks: 0,
  });
}

describe('user text in the browser (docs/test-plan.md 12)', () => {
  it('renders HTML and script payloads inert in every view', { timeout: 120_000 }, async () => {
    await using world = await startWorld();
    const dana = await world.createUser('agent', 'Dana Scully');
    const row = await createTestUser(world.db(), 'customer', {
      name: payloads.name,
      email: 'eve@example.com',
    });
    const eve = { id: row.id, name: row.name, email: row.email, password: testPassword };
    const ticket = await (
      await world.apiAs(eve)
    ).tickets.create.mutate({ subject: payloads.subject, description: payloads.description });
    await (
      await world.apiAs(eve)
    ).messages.send.mutate({ ticketId: ticket.id, body: payloads.body, clientId: randomUUID() });

    const dialogs: string[] = [];
    const customer = await world.pageFor(eve);
    const agent = await world.pageFor(dana);
    for (const page of [customer, agent]) page.on('dialog', (d) => dialogs.push(d.message()));

    await customer.goto('/tickets');
    await expectInert(customer, 'my tickets', [payloads.subject]);
    await customer.goto(`/tickets/${ticket.id}`);
    await expectInert(customer, 'customer ticket', [payloads.subject, payloads.body]);

    await agent.goto('/agent/queue');
    await expectInert(agent, 'queue', [payloads.subject]);
    await agent.goto(`/agent/tickets/${ticket.id}`);
    await expectInert(agent, 'agent ticket', [payloads.subject, payloads.body, payloads.name]);

    // Live: a payload arriving over the socket is as inert as one loaded by a query.
    const live = `<img src=x onerror="window.pwned='live'">live one`;
    await (
      await world.apiAs(eve)
    ).messages.send.mutate({ ticketId: ticket.id, body: live, clientId: randomUUID() });
    await expectInert(agent, 'agent ticket, live', [live]);

    expect(dialogs).toEqual([]);
  });
});
