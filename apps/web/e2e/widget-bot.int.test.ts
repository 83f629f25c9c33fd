import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { startWorld } from './support/world';

/** A plain page on another origin that embeds the widget. */
async function startHostSite(page: (origin: string) => string) {
  let origin = '';
  const server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page(origin));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { origin, server };
}

const hostPage = (parley: string, siteKey: string) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Plain shop</title></head>
  <body>
    <h1>A plain shop page</h1>
    <script src="${parley}/widget.js" data-site="${siteKey}" async></script>
  </body>
</html>`;

async function chatFrame(page: Page): Promise<Frame> {
  const handle = await page.locator('[data-parley-widget] iframe').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no chat frame');
  return frame;
}

describe('the bot in the chat widget', () => {
  it(
    'answers a question with an article and chips; "Talk to a person" rings the agent, who replies',
    { timeout: 150_000 },
    async () => {
      await using world = await startWorld();
      const admin = await world.createUser('admin', 'Ada Admin');
      const dana = await world.createUser('agent', 'Dana Scully');
      let siteKey = '';
      const host = await startHostSite(() => hostPage(world.url, siteKey));
      try {
        const api = await world.apiAs(admin);
        siteKey = (
          await api.widgets.create.mutate({
            name: 'Plain shop',
            allowedOrigins: [host.origin],
            title: 'Ask the shop',
          })
        ).siteKey;
        await api.help.articles.create.mutate({
          title: 'Shipping times and costs',
          summary: 'Orders ship within 2 working days; delivery takes 3–5 days.',
          body: 'We ship to every country in Europe, Norway included.',
          status: 'published',
        });
        await api.bot.answers.create.mutate({
          name: 'Opening hours',
          phrasings: ['opening hours', 'when are you open'],
          reply: 'We are open 9:00–17:00, Monday to Friday.',
        });

        const agent = await world.pageFor(dana);
        await agent.getByRole('link', { name: 'Live chat' }).click();
        await agent.getByText('No chats going on. New ones ring here.').waitFor();

        const { page: visitor } = await world.chrome.newPage(host.origin);
        await visitor.goto(host.origin);
        await visitor.getByRole('button', { name: /Open chat: Ask the shop/ }).click();
        const frame = await chatFrame(visitor);
        await frame.getByLabel('Name').fill('Vera Visitor');
        await frame.getByLabel('Email').fill('vera@example.com');
        await frame.getByLabel('Message').fill('Do you ship to Norway?');
        await frame.getByRole('button', { name: 'Start chat' }).click();

        // The bot answers at once with the article's summary, its link and chips.
        const answer = frame
          .getByTestId('chat-message')
          .filter({ hasText: 'Orders ship within 2 working days' });
        await answer.waitFor();
        await answer.getByText('Bot', { exact: true }).waitFor();
        expect(
          await answer.getByRole('link', { name: 'Read the article' }).getAttribute('href'),
        ).toBe('/help/shipping-times-and-costs');
        const chips = frame.getByRole('group', { name: 'Suggested replies' });
        expect(await chips.getByRole('button').allTextContents()).toEqual([
          'opening hours',
          'Talk to a person',
        ]);
        expect(await seriousA11yFindings(frame)).toEqual([]);

        // A chip is sent as the visitor's message and answered.
        await chips.getByRole('button', { name: 'opening hours' }).click();
        await frame
          .getByTestId('chat-message')
          .filter({ hasText: 'We are open 9:00–17:00, Monday to Friday.' })
          .waitFor();
        // While the bot has the chat, agents' Live chat leaves it out; the queue's Bot
        // filter shows it.
        expect(await agent.getByTestId('live-chat-item').count()).toBe(0);
        const queue = await world.pageFor(dana);
        await queue.goto('/agent/queue');
        await queue.getByRole('heading', { name: /Queue/ }).first().waitFor();
        await queue.getByLabel('Bot').selectOption('only');
        await queue.waitForURL(/bot=only/);
        await queue
          .getByTestId('queue-row')
          .filter({ hasText: 'Do you ship to Norway?' })
          .waitFor();
        await queue.close();

        // "Talk to a person": the visitor is told, the agent's Live chat rings.
        await chips.getByRole('button', { name: 'Talk to a person' }).click();
        await frame.getByText(/Connecting you with the team…/).waitFor();
        await agent
          .getByTestId('new-chat-announcement')
          .filter({ hasText: 'New chat from Vera Visitor' })
          .waitFor();
        const item = agent.getByTestId('live-chat-item').filter({ hasText: 'Vera Visitor' });
        await item.click();
        await agent.waitForURL(/\/agent\/chats\/[0-9a-f-]{36}$/);
        // The agent sees what the bot said, then replies; the visitor gets it live.
        await agent
          .getByTestId('thread')
          .getByText(/Connecting you with the team/)
          .waitFor();
        const reply = agent.getByLabel('Reply to the customer');
        await reply.fill('Hi Vera, Dana here. Your parcel leaves today.');
        await reply.press('Enter');
        await frame.getByText('Hi Vera, Dana here. Your parcel leaves today.').waitFor();
        await frame
          .getByTestId('chat-notice')
          .filter({ hasText: 'Dana Scully joined the chat' })
          .waitFor();
        // No chips once a person has the chat.
        expect(await frame.getByRole('group', { name: 'Suggested replies' }).count()).toBe(0);
      } finally {
        await new Promise((resolve) => host.server.close(resolve));
      }
    },
  );
});
