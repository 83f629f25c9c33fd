import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { seriousA11yFindings } from './support/axe';
import { screenshot } from './support/browser';
import { startWorld } from './support/world';

const support = 'support@parley.test';

describe('incoming mail in the admin pages (test plan 84)', () => {
  it(
    'lists every mail to the support address with what became of it, and opens the ticket it made',
    { timeout: 180_000 },
    async () => {
      await using world = await startWorld({ emailIn: { supportAddress: support } });
      const mta = nodemailer.createTransport({
        host: '127.0.0.1',
        port: world.smtpInPort ?? 0,
        secure: false,
        ignoreTLS: true,
      });
      try {
        const sender = `rosa-${randomUUID().slice(0, 8)}@customer.test`;
        await mta.sendMail({
          from: `Rosa Diaz <${sender}>`,
          to: support,
          subject: 'Invoice is wrong',
          text: 'The invoice for May counts two seats; we have one.',
          headers: {
            'Authentication-Results':
              'mx.parley.test; spf=pass smtp.mailfrom=customer.test; dkim=pass',
          },
        });
        await mta.sendMail({
          from: `Out of office <${sender}>`,
          to: support,
          subject: 'Automatic reply: Invoice is wrong',
          text: 'I am away until Monday.',
          headers: { 'Auto-Submitted': 'auto-replied' },
        });
      } finally {
        mta.close();
      }

      const sam = await world.createUser('admin', 'Sam Carter');
      const admin = await world.pageFor(sam);
      await admin.getByRole('link', { name: 'Outgoing mail' }).click();
      await admin
        .getByRole('navigation', { name: 'Mail' })
        .getByRole('link', { name: 'Incoming' })
        .click();
      await admin.getByRole('heading', { name: 'Incoming mail' }).waitFor();
      const rows = admin.getByTestId('inbound-mail-row');
      const created = rows
        .filter({ hasText: 'Invoice is wrong' })
        .filter({ hasText: 'New ticket' });
      const dropped = rows.filter({ hasText: 'Automatic reply' });
      await created.waitFor();
      await dropped.getByText('Dropped: auto-reply or bounce').waitFor();
      expect(await rows.count()).toBe(2);
      await created.getByText('SPF pass, DKIM pass').waitFor();
      expect(await dropped.getByRole('link', { name: 'Open the ticket' }).count()).toBe(0);
      expect(await seriousA11yFindings(admin)).toEqual([]);
      await screenshot(admin, 'incoming-mail');

      await created.getByRole('link', { name: 'Open the ticket' }).click();
      await admin.getByRole('heading', { name: 'Invoice is wrong' }).waitFor();
      await admin.getByText('The invoice for May counts two seats; we have one.').waitFor();
    },
  );
});
