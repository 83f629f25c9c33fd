import { linkIn, startSmtpInbox, startTestServer } from '@parley/server/testing';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { launchBrowser, webRoot } from './support/browser';
import { signIn, signUp } from './support/forms';

describe('signing up, in and out in the browser', () => {
  it(
    'signs up through the emailed link, shows who is signed in, signs out and signs in again',
    { timeout: 180_000 },
    async () => {
      await using inbox = await startSmtpInbox();
      await using server = await startTestServer({
        webRoot,
        mail: { smtpUrl: inbox.url },
        notify: { pollMs: 200 },
      });
      await using chrome = await launchBrowser();
      const { page } = await chrome.newPage(server.url);
      const ada = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine' };

      // Sign-up answers "check your inbox", naming the address, and signs nobody in yet.
      await signUp(page, ada);
      await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
      await page.getByRole('status').getByText(ada.email).waitFor();
      await page.getByRole('link', { name: 'Sign in' }).waitFor();
      expect(await seriousA11yFindings(page)).toEqual([]);

      // The emailed link finishes: one click creates the account and signs in.
      await inbox.waitFor((mails) => mails.some((mail) => mail.to.includes(ada.email)));
      const link = linkIn(
        inbox.mails.find((mail) => mail.to.includes(ada.email))!,
        '/verify-email',
      );
      expect(link).toBeTruthy();
      await page.goto(link!);
      await page.getByRole('heading', { name: 'Finish creating your account' }).waitFor();
      expect(await seriousA11yFindings(page)).toEqual([]);
      await page.getByRole('button', { name: 'Create my account' }).click();
      await page.waitForURL((url) => url.pathname === '/tickets');
      await page.getByRole('heading', { name: 'My tickets' }).waitFor();
      expect(await page.getByTestId('me-name').textContent()).toBe('Ada Lovelace');

      // The session is the HttpOnly cookie: a reload keeps the user signed in.
      await page.reload();
      await page.getByRole('heading', { name: 'My tickets' }).waitFor();
      expect(await page.getByTestId('me-name').textContent()).toBe('Ada Lovelace');
      const cookies = await page.context().cookies();
      expect(cookies.some((cookie) => cookie.httpOnly)).toBe(true);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.goto('/');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();

      await signIn(page, { email: ada.email, password: 'wrong-password' });
      await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();

      await signIn(page, ada);
      await page.getByRole('heading', { name: 'My tickets' }).waitFor();
      expect(await page.getByTestId('me-name').textContent()).toBe('Ada Lovelace');

      // The link works once: used again, it says so and offers the ways forward.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.goto(link!);
      await page.getByRole('button', { name: 'Create my account' }).click();
      await page.getByRole('alert').getByText('expired or was already used').waitFor();
      await page.getByRole('link', { name: 'Reset your password' }).waitFor();
      await page.getByRole('link', { name: 'Sign up again' }).waitFor();
      expect(await seriousA11yFindings(page)).toEqual([]);
    },
  );

  it(
    'shows the server’s field error beside a too-short password',
    { timeout: 60_000 },
    async () => {
      await using server = await startTestServer({ webRoot });
      await using chrome = await launchBrowser();
      const { page } = await chrome.newPage(server.url);

      await signUp(page, { name: 'Bea', email: 'bea@example.com', password: 'short' });
      const password = page.getByLabel('Password');
      await page.getByText('At least 8 characters').waitFor();
      expect(await password.getAttribute('aria-invalid')).toBe('true');
      const describedBy = await password.getAttribute('aria-describedby');
      expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(
        'At least 8 characters',
      );
      expect(page.url()).toMatch(/\/signup$/);
    },
  );
});
