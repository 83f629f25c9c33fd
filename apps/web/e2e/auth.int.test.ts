import { startTestServer } from '@parley/server/testing';
import { describe, expect, it } from 'vitest';
import { launchBrowser, webRoot } from './support/browser';
import { signIn, signUp } from './support/forms';

describe('signing up, in and out in the browser', () => {
  it(
    'signs up, shows who is signed in, signs out and signs in again',
    { timeout: 60_000 },
    async () => {
      await using server = await startTestServer({ webRoot });
      await using chrome = await launchBrowser();
      const { page } = await chrome.newPage(server.url);
      const ada = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine' };

      await signUp(page, ada);
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
