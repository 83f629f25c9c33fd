import { noChannelSettings } from '@parley/api';
import { postTwilioWebhook, startFakeTwilio, twilioInboundForm } from '@parley/api/testing';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { screenshot } from './support/browser';
import { startWorld } from './support/world';

describe('email and SMS notifications in the browser', () => {
  it(
    'an admin reads the kept emails rendered in a sandboxed frame; a customer switches a kind off in Notification settings (SMS not available without Twilio)',
    { timeout: 120_000 },
    async () => {
      await using world = await startWorld({ notify: true });
      const sam = await world.createUser('admin', 'Sam Carter');
      const dana = await world.createUser('agent', 'Dana Scully');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const cApi = await world.apiAs(cara);
      const dApi = await world.apiAs(dana);
      const sApi = await world.apiAs(sam);
      const ticket = await cApi.tickets.create.mutate({
        subject: 'Damaged box',
        description: 'The box arrived crushed.',
      });
      await dApi.messages.send.mutate({
        ticketId: ticket.id,
        body: 'Sorry about that, a new one ships today.',
        clientId: crypto.randomUUID(),
      });
      await expect
        .poll(async () => (await sApi.notifications.outgoingMail.list.query()).items.length, {
          timeout: 20_000,
        })
        .toBe(2);

      const admin = await world.pageFor(sam);
      await admin.getByRole('link', { name: 'Outgoing mail' }).click();
      await admin.getByRole('heading', { name: 'Outgoing mail' }).waitFor();
      await admin.getByTestId('mail-row').nth(1).waitFor();
      expect(await admin.getByTestId('mail-row').count()).toBe(2);
      await admin.getByRole('button', { name: /New reply: Damaged box/ }).click();
      const frame = admin.frameLocator('iframe[title^="Email:"]');
      await frame.getByText('Sorry about that, a new one ships today.').waitFor();
      expect(await admin.locator('iframe[title^="Email:"]').getAttribute('sandbox')).toBe('');
      expect(await seriousA11yFindings(admin)).toEqual([]);
      await screenshot(admin, 'outgoing-mail');
      await admin.getByRole('button', { name: 'Show as plain text' }).click();
      await admin.getByText('> Sorry about that, a new one ships today.').waitFor();

      const customer = await world.pageFor(cara);
      await customer.getByRole('link', { name: 'Notification settings' }).click();
      await customer.getByRole('heading', { name: 'Notifications', exact: true }).waitFor();
      // No SMS on this server: the page says so, and offers nothing to fill in.
      await customer.getByTestId('sms-unavailable').waitFor();
      expect(await customer.getByLabel('Mobile number').count()).toBe(0);
      const replies = customer.getByLabel('The team replied (when you have not read it yet)');
      expect(await replies.isChecked()).toBe(true);
      // Every customer kind of the contract is listed, the auto-close email on by default.
      expect(
        await customer
          .getByLabel('Your resolved ticket was closed automatically (no reply came)')
          .isChecked(),
      ).toBe(true);
      expect(await customer.getByTestId('notification-preference').count()).toBe(4);
      // The box follows the click within the click's own event, not a timer later: a
      // loaded browser showed the old state right after the click (CI-5's flake).
      expect(
        await replies.evaluate((box: HTMLInputElement) => {
          box.click();
          return box.checked;
        }),
      ).toBe(false);
      await expect
        .poll(async () =>
          (await cApi.notifications.preferences.get.query()).find(
            (p) => p.kind === 'agent_replied',
          ),
        )
        .toEqual({ kind: 'agent_replied', channel: 'email', enabled: false });
      expect(await seriousA11yFindings(customer)).toEqual([]);
    },
  );

  it(
    'a customer adds a mobile number, types the code texted to it, switches SMS on for replies, and sees a STOP',
    { timeout: 120_000 },
    async () => {
      const publicUrl = 'https://support.example.com';
      const ourNumber = '+14155550199';
      const phone = '+14155550142';
      await using twilio = await startFakeTwilio();
      await using world = await startWorld({
        notify: true,
        channels: {
          ...noChannelSettings(publicUrl),
          sms: twilio.smsSettings(ourNumber),
          botEnabled: false,
        },
      });
      const cara = await world.createUser('customer', 'Cara Mendes');
      const cApi = await world.apiAs(cara);
      const customer = await world.pageFor(cara);
      await customer.getByRole('link', { name: 'Notification settings' }).click();
      await customer.getByRole('heading', { name: 'Notifications', exact: true }).waitFor();

      await customer.getByLabel('Mobile number').fill('+1 415 555 0142');
      await customer.getByRole('button', { name: 'Text me a code' }).click();
      await twilio.waitForSends(1, 20_000);
      const code = /\b(\d{6})\b/.exec(twilio.sent[0]?.body ?? '')?.[1] ?? '';
      expect(twilio.sent[0]?.to).toBe(phone);
      await customer.getByText(`We texted a 6-digit code to ${phone}`).waitFor();
      // A wrong code is refused under the field, in words.
      await customer.getByLabel('Code').fill(code === '000000' ? '111111' : '000000');
      await customer.getByRole('button', { name: 'Verify number' }).click();
      await customer.getByText('That code is not right').waitFor();
      await customer.getByLabel('Code').fill(code);
      await customer.getByRole('button', { name: 'Verify number' }).click();
      await customer.getByTestId('sms-number').getByText(phone).waitFor();

      // One SMS switch per kind that goes by SMS, each off until switched on (opt-in).
      const texts = customer.getByRole('group', { name: 'Text me when' });
      await texts.waitFor();
      expect(await customer.getByTestId('sms-preference').count()).toBe(2);
      const replies = texts.getByLabel('The team replied (when you have not read it yet)');
      expect(await replies.isChecked()).toBe(false);
      await replies.click();
      await expect
        .poll(async () =>
          (await cApi.notifications.preferences.get.query()).find(
            (p) => p.kind === 'agent_replied' && p.channel === 'sms',
          ),
        )
        .toEqual({ kind: 'agent_replied', channel: 'sms', enabled: true });
      expect(await replies.isChecked()).toBe(true);
      expect(await seriousA11yFindings(customer)).toEqual([]);

      // The number texts STOP: the page says so after a reload.
      const answer = await postTwilioWebhook(
        world.url,
        publicUrl,
        twilioInboundForm({ from: phone, to: ourNumber, body: 'STOP' }),
        twilio.authToken,
      );
      expect(answer.status).toBe(200);
      await customer.reload();
      await customer.getByTestId('sms-opted-out').waitFor();
      expect(await seriousA11yFindings(customer)).toEqual([]);
    },
  );
});
