import { startSmtpInbox } from '@parley/server/testing';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { screenshot } from './support/browser';
import { startWorld } from './support/world';

describe('email settings in the admin pages (test plan 92)', () => {
  it(
    'an admin points email at an SMTP server, the URL never comes back, a test email arrives, and the environment’s settings come back',
    { timeout: 180_000 },
    async () => {
      await using inbox = await startSmtpInbox();
      // Nothing in the environment: mail is kept in Parley.
      await using world = await startWorld();
      const sam = await world.createUser('admin', 'Sam Carter');
      const admin = await world.pageFor(sam);
      await admin.getByRole('link', { name: 'Channels' }).click();
      const card = admin.getByRole('article', { name: /Email/ });
      await card.getByText('Kept in Parley', { exact: true }).waitFor();
      await card.getByText(/every email is kept in Parley/).waitFor();
      await card.getByText(/Parley is not receiving mail/).waitFor();
      // No test to send while nothing would be sent.
      expect(await card.getByRole('button', { name: 'Send test' }).count()).toBe(0);

      await card.getByRole('button', { name: 'Edit settings' }).click();
      await card.getByLabel('Send mail through an SMTP server').check();
      await card.getByLabel('SMTP server', { exact: true }).fill('https://smtp.example.com');
      await card.getByRole('button', { name: 'Save settings' }).click();
      // The field says what is wrong; nothing is saved.
      await card.getByText(/starts with smtp:\/\//).waitFor();
      const url = inbox.url.replace('smtp://', 'smtp://parley:pa55-w0rd@');
      await card.getByLabel('SMTP server', { exact: true }).fill(url);
      await card.getByLabel('Send as').fill('Help Desk <help@desk.test>');
      await card.getByRole('button', { name: 'Save settings' }).click();
      await card.getByText('Saved: email uses these settings now.').waitFor();
      await card.getByText('Sending', { exact: true }).waitFor();
      await card.getByText(inbox.url.replace('smtp://', 'smtp://parley@')).waitFor();
      expect(await admin.content()).not.toContain('pa55-w0rd');
      expect(await seriousA11yFindings(admin)).toEqual([]);

      // Editing again: the URL is not in the page, only that one is saved.
      await card.getByRole('button', { name: 'Edit settings' }).click();
      await card.getByText(/Saved\. Leave empty to keep it/).waitFor();
      expect(await card.getByLabel('SMTP server', { exact: true }).inputValue()).toBe('');
      expect(await admin.content()).not.toContain('pa55-w0rd');
      await screenshot(admin, 'email-settings');
      expect(await seriousA11yFindings(admin)).toEqual([]);
      // Saved with a server that takes no password: the URL typed again.
      await card.getByLabel('SMTP server', { exact: true }).fill(inbox.url);
      await card.getByRole('button', { name: 'Save settings' }).click();
      await card.getByText('Saved: email uses these settings now.').waitFor();

      // The test goes to the admin's own address unless another is typed.
      expect(await card.getByLabel('Send a test email to').inputValue()).toBe(sam.email);
      await card.getByRole('button', { name: 'Send test' }).click();
      await card.getByText('Sent: the SMTP server accepted it.').waitFor();
      await inbox.waitFor((mails) => mails.some((m) => m.to.includes(sam.email)));
      const test = inbox.mails.find((m) => m.to.includes(sam.email));
      expect(test?.headers.get('from')).toBe('Help Desk <help@desk.test>');
      expect(test?.headers.get('subject')).toBe('Test message from Parley');

      // Back to the environment's settings, after a confirmation.
      await card.getByRole('button', { name: 'Edit settings' }).click();
      await card.getByRole('button', { name: 'Use the environment’s settings' }).click();
      const confirm = admin.getByRole('dialog', { name: 'Use the environment’s email settings?' });
      await confirm.getByRole('button', { name: 'Use the environment’s settings' }).click();
      await card.getByText(/Reset: email uses the server’s environment settings now/).waitFor();
      await card.getByText('Kept in Parley', { exact: true }).waitFor();
    },
  );
});
