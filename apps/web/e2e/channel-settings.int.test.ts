import { noChannelSettings } from '@parley/api';
import { startFakeTwilio, startFakeWhatsAppCloud } from '@parley/api/testing';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { screenshot } from './support/browser';
import { startWorld } from './support/world';

describe('channel settings in the admin pages (test plan 83)', () => {
  it(
    'an admin sets SMS up in the browser, the secret never comes back, a test message goes out, and the settings can be removed',
    { timeout: 180_000 },
    async () => {
      await using twilio = await startFakeTwilio();
      await using world = await startWorld({
        channels: {
          ...noChannelSettings('https://support.example.com'),
          apiUrls: { whatsapp: 'http://127.0.0.1:9', sms: twilio.url },
        },
      });
      const sam = await world.createUser('admin', 'Sam Carter');
      const admin = await world.pageFor(sam);
      await admin.getByRole('link', { name: 'Channels' }).click();
      const card = admin.getByRole('article', { name: /SMS/ });
      await card.getByText('Not set up').waitFor();

      await card.getByRole('button', { name: 'Set up SMS (Twilio)' }).click();
      await card.getByLabel('Account SID').fill(twilio.accountSid);
      await card.getByLabel('Auth Token').fill(twilio.authToken);
      await card.getByLabel('Send from').fill('my shop');
      await card.getByRole('button', { name: 'Save settings' }).click();
      // The field says what is wrong; nothing is saved.
      await card.getByText(/The sender is a phone number with its country code/).waitFor();
      expect(await card.getByText('Not set up').count()).toBe(1);
      await card.getByLabel('Send from').fill('+1 415 555 0100');
      await card.getByRole('button', { name: 'Save settings' }).click();
      await card.getByText('Saved: SMS uses these settings now.').waitFor();
      await card.getByText('Set up', { exact: true }).waitFor();
      await card.getByText('+14155550100').waitFor();
      await card.getByText('Settings saved here.').waitFor();
      expect(await seriousA11yFindings(admin)).toEqual([]);

      // Editing again: the token is not in the page, only that it is set.
      await card.getByRole('button', { name: 'Edit settings' }).click();
      await card.getByText(/Saved\. Leave empty to keep it/).waitFor();
      expect(await card.getByLabel('Auth Token').inputValue()).toBe('');
      expect(await card.getByLabel('Account SID').inputValue()).toBe(twilio.accountSid);
      expect(await admin.content()).not.toContain(twilio.authToken);
      await screenshot(admin, 'channel-settings-sms');
      expect(await seriousA11yFindings(admin)).toEqual([]);
      await card.getByRole('button', { name: 'Cancel' }).click();

      // The saved settings send.
      await card.getByLabel('Send a test message to').fill('+1 415 555 0199');
      await card.getByRole('button', { name: 'Send test' }).click();
      await card.getByText('Sent: the provider accepted it.').waitFor();
      const [sent] = await twilio.waitForSends(1, 30_000);
      expect(sent).toMatchObject({ to: '+14155550199', from: '+14155550100' });

      // Removing asks first, then the channel is off again.
      await card.getByRole('button', { name: 'Edit settings' }).click();
      await card.getByRole('button', { name: 'Remove saved settings' }).click();
      const confirm = admin.getByRole('dialog', { name: 'Remove the saved SMS settings?' });
      await confirm.getByRole('button', { name: 'Remove settings' }).click();
      await card.getByText(/Removed: SMS uses the server’s environment settings/).waitFor();
      await card.getByText('Not set up').waitFor();
    },
  );

  it(
    'an admin sets WhatsApp up with a template: every missing secret is named at once, and agents get the template',
    { timeout: 180_000 },
    async () => {
      await using cloud = await startFakeWhatsAppCloud();
      await using world = await startWorld({
        channels: {
          ...noChannelSettings('https://support.example.com'),
          apiUrls: { whatsapp: cloud.url, sms: 'http://127.0.0.1:9' },
        },
      });
      const sam = await world.createUser('admin', 'Sam Carter');
      const admin = await world.pageFor(sam);
      await admin.goto('/admin/channels');
      const card = admin.getByRole('article', { name: /WhatsApp/ });
      await card.getByRole('button', { name: 'Set up WhatsApp' }).click();
      await card.getByLabel('Phone number ID').fill(cloud.phoneNumberId);
      await card.getByRole('button', { name: 'Add a template' }).click();
      await card.getByLabel('Template 1 name').fill('follow_up');
      await card.getByLabel('Template 1 body').fill('Hello {{1}}, any news?');
      await card.getByRole('button', { name: 'Save settings' }).click();
      for (const secret of ['access token', 'app secret', 'verify token']) {
        await card.getByText(`Enter the ${secret}`).waitFor();
      }
      await screenshot(admin, 'channel-settings-whatsapp');
      expect(await seriousA11yFindings(admin)).toEqual([]);

      await card.getByLabel('Access token').fill(cloud.accessToken);
      await card.getByLabel('App secret').fill('e2e-app-secret');
      await card.getByLabel('Verify token').fill('e2e-verify');
      await card.getByRole('button', { name: 'Save settings' }).click();
      await card.getByText('Saved: WhatsApp uses these settings now.').waitFor();
      await card.getByText('Templates: follow_up (en_US)').waitFor();
      const api = await world.apiAs(sam);
      expect((await api.channels.status.query())[0]).toMatchObject({
        channel: 'whatsapp',
        configured: true,
        source: 'saved',
        templates: [{ name: 'follow_up', language: 'en_US', variables: 1 }],
      });
    },
  );

  it(
    'an admin saves the conversation settings: inline errors first, then saved and still there after a reload',
    { timeout: 180_000 },
    async () => {
      await using world = await startWorld({
        channels: {
          ...noChannelSettings('https://support.example.com'),
          botEnabled: true,
          closingMessage: 'Thanks for writing to us!',
          reopenDays: 0,
        },
      });
      const sam = await world.createUser('admin', 'Sam Carter');
      const admin = await world.pageFor(sam);
      await admin.goto('/admin/channels');
      const card = admin.getByRole('article', { name: 'Conversations' });
      await card.getByText(/Settings from the server’s environment/).waitFor();
      const bot = card.getByLabel('Bot answers new conversations first');
      const closing = card.getByLabel('Closing message');
      const reopen = card.getByLabel(
        /Reopen a closed ticket when the contact writes within N days/,
      );
      expect(await bot.isChecked()).toBe(true);
      expect(await closing.inputValue()).toBe('Thanks for writing to us!');
      expect(await reopen.inputValue()).toBe('0');

      // Too long and out of range: the counter says so, and each field says what is wrong.
      await bot.uncheck();
      await closing.fill('x'.repeat(1010));
      await card
        .getByText('1,010 of 1,000 characters: 10 over the limit. Shorten it to save.')
        .waitFor();
      await reopen.fill('400');
      await card.getByRole('button', { name: 'Save settings' }).click();
      await card.getByText('The closing message is at most 1,000 characters').waitFor();
      await card.getByText('The reopen window is a whole number of days from 0 to 365').waitFor();
      expect(await seriousA11yFindings(admin)).toEqual([]);

      await closing.fill('  We have closed this conversation. Write within a week to reopen it.  ');
      await card.getByText('67 of 1,000 characters').waitFor();
      await reopen.fill('7');
      await card.getByRole('button', { name: 'Save settings' }).click();
      await card
        .getByText('Saved: WhatsApp and SMS conversations use these settings now.')
        .waitFor();
      await card.getByText('Settings saved here, for WhatsApp and SMS.').waitFor();

      await admin.reload();
      await card.getByText('Settings saved here, for WhatsApp and SMS.').waitFor();
      expect(await bot.isChecked()).toBe(false);
      expect(await closing.inputValue()).toBe(
        'We have closed this conversation. Write within a week to reopen it.',
      );
      expect(await reopen.inputValue()).toBe('7');
      await screenshot(admin, 'channel-settings-conversations');
      expect(await seriousA11yFindings(admin)).toEqual([]);
      const api = await world.apiAs(sam);
      expect(await api.channels.conversationSettings.query()).toEqual({
        source: 'saved',
        problem: null,
        botEnabled: false,
        closingMessage: 'We have closed this conversation. Write within a week to reopen it.',
        reopenDays: 7,
      });

      // Back to the environment's, after a confirmation.
      await card.getByRole('button', { name: 'Use the environment’s settings' }).click();
      const dialog = admin.getByRole('dialog', { name: 'Forget the saved conversation settings?' });
      await dialog.getByRole('button', { name: 'Use the environment’s settings' }).click();
      await card
        .getByText(
          'Reset: WhatsApp and SMS conversations use the server’s environment settings now.',
        )
        .waitFor();
      await card.getByText(/Settings from the server’s environment/).waitFor();
      expect(await closing.inputValue()).toBe('Thanks for writing to us!');
      expect(await reopen.inputValue()).toBe('0');
      expect(await bot.isChecked()).toBe(true);
      expect(
        await card.getByRole('button', { name: 'Use the environment’s settings' }).count(),
      ).toBe(0);
      expect((await api.channels.conversationSettings.query()).source).toBe('environment');
    },
  );
});
