import { startWebhookReceiver } from '@parley/server/testing';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { screenshot } from './support/browser';
import { startWorld } from './support/world';

describe('the Webhooks page', () => {
  it(
    'an admin adds an endpoint, sees its secret once, sees a signed delivery in the log and redelivers it',
    { timeout: 120_000 },
    async () => {
      await using receiver = await startWebhookReceiver();
      await using world = await startWorld({ notify: { webhookRetryBaseSeconds: 0.001 } });
      const sam = await world.createUser('admin', 'Sam Carter');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const admin = await world.pageFor(sam);

      await admin.getByRole('link', { name: 'Webhooks' }).click();
      await admin.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
      const form = admin.getByRole('form', { name: 'Add an endpoint' });

      // A loopback URL is refused without the admin's leave, with the reason on the field.
      await form.getByLabel('URL').fill(`${receiver.url}/crm`);
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      await admin
        .getByText(/loopback, link-local or private/)
        .first()
        .waitFor();

      await form.getByLabel('Allow a private network address').check();
      await form.getByLabel(/Ticket changed/).uncheck();
      await form.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = admin.getByTestId('webhook-secret');
      await secret.waitFor();
      const secretText = (await secret.textContent()) ?? '';
      expect(secretText).toMatch(/^whsec_/);
      receiver.secretFor('/crm', secretText);
      const card = admin.getByTestId('webhook-card').filter({ hasText: `${receiver.url}/crm` });
      await card.waitFor();
      expect(await seriousA11yFindings(admin)).toEqual([]);

      // An event: the receiver gets it, signed; the log shows it.
      const api = await world.apiAs(cara);
      await api.tickets.create.mutate({ subject: 'Damaged box', description: 'Crushed.' });
      await expect.poll(() => receiver.at('/crm').length, { timeout: 20_000 }).toBe(1);
      expect(receiver.at('/crm')[0]?.verified.ok).toBe(true);
      await card.getByRole('button', { name: 'Delivery log' }).click();
      const row = card.getByTestId('webhook-delivery').filter({ hasText: 'ticket.created' });
      await row.filter({ hasText: 'Delivered' }).waitFor({ timeout: 20_000 });
      await screenshot(admin, 'webhooks');
      expect(await seriousA11yFindings(admin)).toEqual([]);

      await row.getByRole('button', { name: /Redeliver/ }).click();
      await expect.poll(() => receiver.at('/crm').length, { timeout: 20_000 }).toBe(2);
      const [a, b] = receiver.at('/crm');
      expect(b?.headers['webhook-id']).toBe(a?.headers['webhook-id']);

      // Secret shown once: a reload does not bring it back.
      await admin.reload();
      await card.waitFor();
      expect(await admin.getByTestId('webhook-secret').count()).toBe(0);
      expect(await admin.content()).not.toContain(secretText);

      // Delete asks first.
      await card.getByRole('button', { name: 'Delete' }).click();
      const confirm = admin.getByRole('dialog', { name: 'Delete this endpoint?' });
      await confirm.getByRole('button', { name: 'Delete endpoint' }).click();
      await card.waitFor({ state: 'detached' });
      expect(await (await world.apiAs(sam)).webhooks.list.query()).toEqual([]);
    },
  );
});
