import { noChannelSettings } from '@parley/api';
import {
  signWhatsApp,
  startFakeWhatsAppCloud,
  statusWebhookBody,
  whatsappWebhookBody,
  type WhatsAppWebhookMessage,
} from '@parley/api/testing';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { startWorld } from './support/world';

const appSecret = 'e2e-app-secret';

describe('a WhatsApp conversation in the agent workspace (test plan 82)', () => {
  it(
    'the agent works it like any other ticket and sees the channel, the phone and each reply’s delivery, then a template outside the 24-hour window',
    { timeout: 240_000 },
    async () => {
      await using cloud = await startFakeWhatsAppCloud();
      await using world = await startWorld({
        notify: true,
        channels: {
          ...noChannelSettings('https://support.example.com'),
          whatsapp: {
            apiUrl: cloud.url,
            phoneNumberId: cloud.phoneNumberId,
            accessToken: cloud.accessToken,
            appSecret,
            verifyToken: 'e2e',
            templates: [{ name: 'follow_up', language: 'en_US', body: 'Hello {{1}}, any news?' }],
          },
          botEnabled: false,
          closingMessage: '',
        },
      });
      const inbound = (message: WhatsAppWebhookMessage) => {
        const body = whatsappWebhookBody(message);
        return fetch(`${world.url}/webhooks/whatsapp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': signWhatsApp(body, appSecret),
          },
          body,
        });
      };
      const dana = await world.createUser('agent', 'Dana Scully');
      expect(
        (
          await inbound({
            from: '4915112345678',
            name: 'Jonas Weber',
            text: 'My parcel is damaged',
          })
        ).status,
      ).toBe(200);

      const page = await world.pageFor(dana);
      await page.goto('/agent/queue');
      await page.getByRole('link', { name: /My parcel is damaged/ }).click();
      await page.getByText('My parcel is damaged').first().waitFor();
      const sidebar = page.getByRole('complementary', { name: 'Ticket information' });
      await sidebar.getByText('WhatsApp').first().waitFor();
      await sidebar.getByRole('link', { name: '+4915112345678' }).waitFor();

      // The reply goes out on WhatsApp; its delivery shows on it, live.
      const message = page.getByLabel('Reply to the customer');
      await message.fill('Sorry to hear that! Could you send a photo?');
      await message.press('Enter');
      const [sent] = await cloud.waitForSends(1, 30_000);
      expect(sent!.body).toMatchObject({
        to: '4915112345678',
        text: { body: 'Sorry to hear that! Could you send a photo?' },
      });
      const delivery = page.getByTestId('delivery');
      await expect.poll(() => delivery.textContent(), { timeout: 30_000 }).toBe('WhatsApp · Sent');
      const status = (s: 'delivered' | 'read') =>
        fetch(`${world.url}/webhooks/whatsapp`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': signWhatsApp(
              statusWebhookBody({ id: sent!.messageId!, status: s, recipient: '4915112345678' }),
              appSecret,
            ),
          },
          body: statusWebhookBody({ id: sent!.messageId!, status: s, recipient: '4915112345678' }),
        });
      expect((await status('delivered')).status).toBe(200);
      await expect
        .poll(() => delivery.textContent(), { timeout: 30_000 })
        .toBe('WhatsApp · Delivered');
      expect((await status('read')).status).toBe(200);
      await expect.poll(() => delivery.textContent(), { timeout: 30_000 }).toBe('WhatsApp · Read');
      expect(await seriousA11yFindings(page)).toEqual([]);

      // A day later the window is shut: the composer says so and offers the template.
      await world
        .db()
        .$client.query(`update channel_messages set created_at = now() - interval '25 hours'`);
      await world.db().$client.query(`update tickets set created_at = now() - interval '25 hours'`);
      await page.reload();
      const windowPanel = page.getByTestId('whatsapp-window');
      await windowPanel.waitFor();
      await page.getByLabel('Value {{1}}').fill('Jonas');
      await windowPanel.getByText('Hello Jonas, any news?').waitFor();
      await page.getByRole('button', { name: 'Send template' }).click();
      const [, templated] = await cloud.waitForSends(2, 30_000);
      expect(templated!.body).toMatchObject({ type: 'template', template: { name: 'follow_up' } });
      await page
        .getByRole('article', { name: /Message from Dana Scully/ })
        .filter({ hasText: 'Hello Jonas, any news?' })
        .waitFor();
      expect(await seriousA11yFindings(page)).toEqual([]);

      // The admin's channels page: set up, the webhook address, and a test message.
      const sam = await world.createUser('admin', 'Sam Carter');
      const admin = await world.pageFor(sam);
      await admin.getByRole('link', { name: 'Channels' }).click();
      const card = admin.getByRole('article', { name: /WhatsApp/ });
      await card.getByText('https://support.example.com/webhooks/whatsapp').waitFor();
      await card.getByLabel('Send a test message to').fill('+49 151 12345678');
      await card.getByLabel(/As template/).selectOption('follow_up');
      await card.getByRole('button', { name: 'Send test' }).click();
      await card.getByText('Sent: the provider accepted it.').waitFor();
      const [, , test] = await cloud.waitForSends(3, 30_000);
      expect(test!.body).toMatchObject({ to: '4915112345678', type: 'template' });
      expect(await seriousA11yFindings(admin)).toEqual([]);
    },
  );
});
