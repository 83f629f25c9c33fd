import { countHelpDeflections } from '@parley/api/testing';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { startWorld } from './support/world';

/**
 * The help centre in Chromium (docs/test-plan.md 43): signed out, /help → search →
 * article → "helpful" counted; a customer's new-ticket form suggests articles and
 * records a deflection when they leave after reading one; an agent writes an article
 * with a preview; an admin adds a bot answer.
 */

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (done(value) || i >= 100) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the help centre', () => {
  it(
    'is read, searched and rated signed out; deflects a ticket; is written in the workspace; keeps bot answers',
    { timeout: 150_000 },
    async () => {
      await using world = await startWorld();
      const dana = await world.createUser('agent', 'Dana Scully');
      const sam = await world.createUser('admin', 'Sam Carter');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const api = await world.apiAs(dana);
      const returns = await api.help.collections.create.mutate({ title: 'Returns and refunds' });
      const refunds = await api.help.articles.create.mutate({
        title: 'How refunds work',
        summary: 'When the money comes back to your card.',
        body: '## Timing\n\nWe refund the **original payment method** within five working days.',
        status: 'published',
        collectionId: returns.id,
      });
      await api.help.articles.create.mutate({
        title: 'Refunds for members',
        body: 'Members get store credit at once.',
        status: 'published',
        audience: 'customers',
        collectionId: returns.id,
      });
      await api.help.articles.create.mutate({ title: 'Refund exceptions', body: 'Draft.' });
      await api.help.articles.create.mutate({
        title: 'Exchanging for another size',
        slug: 'exchange-an-item',
        body: 'First [start a return](/help/start-a-return), then order again.',
        status: 'published',
      });
      await api.help.articles.create.mutate({
        title: 'Starting a return',
        slug: 'start-a-return',
        body: 'Print the label.',
        status: 'published',
      });

      // Signed out: the collections, search as you type, the article, "helpful".
      const { page: visitor } = await world.chrome.newPage(world.url);
      await visitor.goto('/help');
      await visitor.getByRole('heading', { name: 'Returns and refunds' }).waitFor();
      expect(await visitor.getByRole('link', { name: 'Refunds for members' }).count()).toBe(0);
      expect(await visitor.getByRole('link', { name: 'Refund exceptions' }).count()).toBe(0);
      await visitor.getByLabel('Search the help centre').pressSequentially('refun', { delay: 30 });
      await visitor.getByRole('heading', { name: 'Answers for “refun”' }).waitFor();
      await visitor.getByRole('link', { name: 'How refunds work' }).click();
      await visitor.waitForURL('**/help/how-refunds-work');
      await visitor.getByRole('heading', { name: 'Timing' }).waitFor();
      expect(await visitor.title()).toBe('How refunds work · Parley Help');
      expect(await visitor.locator('meta[name="description"]').getAttribute('content')).toBe(
        'When the money comes back to your card.',
      );
      expect(await seriousA11yFindings(visitor)).toEqual([]);
      await visitor.getByRole('button', { name: 'Yes' }).click();
      await visitor.getByText('Thanks for letting us know.').waitFor();
      const counted = await api.help.articles.byId.query({ articleId: refunds.id });
      expect(counted.staff).toMatchObject({ helpfulCount: 1, notHelpfulCount: 0 });
      // A link in the article to another opens it in the app.
      await visitor.goto('/help/exchange-an-item');
      await visitor.evaluate(() => Object.assign(window, { sameDocument: true }));
      await visitor.getByRole('link', { name: 'Start a return' }).click();
      await visitor.waitForURL('**/help/start-a-return');
      await visitor.getByRole('heading', { name: 'Starting a return' }).waitFor();
      expect(await visitor.evaluate(() => 'sameDocument' in window)).toBe(true);
      // "Start a conversation" leads through sign-in.
      await visitor.getByRole('link', { name: 'Start a conversation' }).click();
      await visitor.waitForURL('**/signin');

      // A customer typing a subject gets suggestions; reading one and leaving is a deflection.
      const customer = await world.pageFor(cara);
      await customer.goto('/tickets/new');
      await customer
        .getByLabel('Subject')
        .pressSequentially('When do I get my refund', { delay: 20 });
      const suggestions = customer.getByRole('region', {
        name: 'These articles may answer your question',
      });
      await suggestions.getByRole('button', { name: 'How refunds work' }).click();
      await suggestions.getByRole('heading', { name: 'Timing' }).waitFor();
      await customer.getByRole('link', { name: 'My tickets' }).first().click();
      await customer.waitForURL('**/tickets');
      const deflections = await until(
        () => countHelpDeflections(world.db(), { articleId: refunds.id }),
        (counts) => counts.deflected > 0,
      );
      expect(deflections).toEqual({ deflected: 1, ticket: 0 });

      // The agent writes an article with a preview; it is then public.
      const agent = await world.pageFor(dana);
      await agent.getByRole('link', { name: 'Help centre' }).click();
      await agent
        .getByRole('region', { name: 'Answered the question (30 days)' })
        .getByRole('link', { name: 'How refunds work' })
        .waitFor();
      await agent.getByRole('link', { name: 'New article' }).click();
      await agent.getByLabel('Title').fill('Changing your delivery address');
      await agent
        .getByLabel('Body (Markdown)')
        .fill('Open **Account**, then <script>alert(1)</script>');
      const preview = agent.getByRole('region', { name: 'Preview' });
      await preview.locator('strong', { hasText: 'Account' }).waitFor();
      await preview.getByText('<script>alert(1)</script>').waitFor();
      await agent.getByLabel('Status').selectOption('published');
      await agent.getByRole('button', { name: 'Save' }).click();
      await agent.getByRole('link', { name: '/help/changing-your-delivery-address' }).waitFor();
      await visitor.goto('/help/changing-your-delivery-address');
      await visitor.getByRole('heading', { name: 'Changing your delivery address' }).waitFor();
      expect(await seriousA11yFindings(agent)).toEqual([]);

      // An admin keeps the bot's answers, pointing to an article.
      const admin = await world.pageFor(sam);
      await admin.getByRole('link', { name: 'Bot' }).click();
      await admin.getByText('No answers yet').waitFor();
      const form = admin.getByRole('form', { name: 'New answer' });
      await form.getByLabel('What it is about').fill('Refund status');
      await form
        .getByLabel('Example phrasings or keywords (one per line)')
        .fill('where is my refund\nmoney back');
      await form.getByLabel('Reply').fill('Refunds reach your card within 5 working days.');
      await form.getByLabel('Article (optional)').selectOption({ label: 'How refunds work' });
      await form.getByRole('button', { name: 'Add answer' }).click();
      const saved = admin.getByTestId('bot-answer').filter({ hasText: 'Refund status' });
      await saved.getByRole('link', { name: 'How refunds work' }).waitFor();
      expect(await seriousA11yFindings(admin)).toEqual([]);
      const [answer] = await (await world.apiAs(sam)).bot.answers.list.query();
      expect(answer).toMatchObject({
        phrasings: ['where is my refund', 'money back'],
        article: { id: refunds.id },
      });
    },
  );
});
