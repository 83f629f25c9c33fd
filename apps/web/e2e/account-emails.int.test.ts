import { linkIn, startSmtpInbox, type SmtpInbox } from '@parley/server/testing';
import { describe, expect, it } from 'vitest';
import { signIn } from './support/forms';
import { startWorld } from './support/world';

/** The link to `path` in the latest mail to `to`, as the recipient would click it. */
async function mailedLink(inbox: SmtpInbox, to: string, path: string): Promise<string> {
  const find = () => {
    const mail = inbox.mails.filter((m) => m.to.includes(to)).at(-1);
    return mail && linkIn(mail, path);
  };
  await inbox.waitFor(() => find() !== undefined);
  return find()!;
}

describe('accounts by email, in Chromium (a real SMTP server in the test process)', () => {
  it(
    'a customer who forgot their password resets it from the emailed link; an invited agent joins from theirs',
    { timeout: 180_000 },
    async () => {
      await using inbox = await startSmtpInbox();
      await using world = await startWorld({
        mail: { smtpUrl: inbox.url },
        notify: { pollMs: 200 },
      });
      const cara = await world.createUser('customer', 'Cara Mendes');
      const admin = await world.createUser('admin', 'Ada Admin');

      // Forgot password → the same answer as for any email → the link → a new password.
      const { page } = await world.chrome.newPage(world.url);
      await page.goto('/signin');
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByLabel('Email').fill(cara.email);
      await page.getByRole('button', { name: 'Send the link' }).click();
      await page.getByRole('status').getByText('Check your inbox').waitFor();
      const reset = await mailedLink(inbox, cara.email, '/reset-password');
      await page.goto(reset);
      await page.getByLabel('New password').fill('short');
      await page.getByRole('button', { name: 'Save and sign in' }).click();
      await page.getByText('At least 8 characters').waitFor(); // next to the field
      await page.getByLabel('New password').fill('a fresh passphrase');
      await page.getByRole('button', { name: 'Save and sign in' }).click();
      await page.waitForURL((url) => url.pathname === '/tickets');
      expect(await page.getByTestId('me-name').textContent()).toBe('Cara Mendes');
      // The owner is told, and the link does not work twice.
      await inbox.waitFor((mails) =>
        mails.some(
          (m) =>
            m.to.includes(cara.email) &&
            /password was changed/.test(m.headers.get('subject') ?? ''),
        ),
      );
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.goto(reset);
      await page.getByLabel('New password').fill('another passphrase');
      await page.getByRole('button', { name: 'Save and sign in' }).click();
      await page.getByText('expired or was already used').waitFor();
      await page.getByRole('link', { name: 'Ask for a new link' }).waitFor();
      await signIn(page, { email: cara.email, password: 'a fresh passphrase' });
      await page.waitForURL((url) => url.pathname === '/tickets');
      await page.getByRole('button', { name: 'Sign out' }).click();

      // An admin invites an agent by email; the agent joins from the link.
      const adminPage = await world.pageFor(admin);
      await adminPage.goto('/admin/people');
      const form = adminPage.getByRole('form', { name: 'Add a team member' });
      await form.getByLabel('Name', { exact: true }).fill('Nia Agent');
      await form.getByLabel('Email', { exact: true }).fill('nia@example.com');
      expect(await form.getByLabel('Email them an invitation').isChecked()).toBe(true);
      await form.getByRole('button', { name: 'Send invitation' }).click();
      await form.getByText('Invitation sent to nia@example.com').waitFor();
      await adminPage
        .getByRole('row', { name: /Nia Agent/ })
        .getByText('Invited')
        .waitFor();

      const invite = await mailedLink(inbox, 'nia@example.com', '/invite');
      const { page: nia } = await world.chrome.newPage(world.url);
      await nia.goto(invite);
      await nia.getByRole('heading', { name: 'Join your team on Parley' }).waitFor();
      await nia.getByLabel('New password').fill('nia picks her own');
      await nia.getByRole('button', { name: 'Join the team' }).click();
      await nia.waitForURL((url) => url.pathname.startsWith('/agent'));
      expect(await nia.getByTestId('me-name').textContent()).toBe('Nia Agent');
      // The people page no longer says "Invited".
      await adminPage.reload();
      await adminPage
        .getByRole('row', { name: /Nia Agent/ })
        .getByText('Active')
        .waitFor();
    },
  );
});
