import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/browser';
import { startWorld } from './support/world';

describe('attachments in two browsers', () => {
  it(
    'a pasted screenshot reaches the agent live as a thumbnail that opens; PDFs attached with the button or dropped on the message box show as chips and download',
    { timeout: 120_000 },
    async () => {
      await using world = await startWorld();
      const dana = await world.createUser('agent', 'Dana Scully');
      const cara = await world.createUser('customer', 'Cara Mendes');
      const cApi = await world.apiAs(cara);
      const ticket = await cApi.tickets.create.mutate({
        subject: 'Damaged box',
        description: 'The box arrived crushed.',
      });
      const agent = await world.pageFor(dana);
      const customer = await world.pageFor(cara);
      await agent.goto(`/agent/tickets/${ticket.id}`);
      await customer.goto(`/tickets/${ticket.id}`);
      await agent.getByText('The box arrived crushed.').waitFor();
      await customer.getByText('The box arrived crushed.').waitFor();

      // A screenshot on the clipboard, pasted into the message box.
      const png = await sharp({
        create: { width: 320, height: 200, channels: 3, background: '#2a6' },
      })
        .png()
        .toBuffer();
      const box = customer.getByLabel('Message');
      await box.click();
      await box.evaluate((element, base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
        element.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      }, png.toString('base64'));
      await customer
        .getByTestId('draft-file')
        .filter({ hasText: 'screenshot.png' })
        .and(customer.locator('[data-state="ready"]'))
        .waitFor();
      await box.fill('This is how it arrived');
      await customer.getByRole('button', { name: 'Send', exact: true }).click();

      // The agent sees the thumbnail without a reload, and opens it full size.
      const thumbnail = agent.getByRole('button', { name: /Open image screenshot\.png/ });
      await thumbnail.waitFor();
      await agent.getByText('This is how it arrived').waitFor();
      await screenshot(agent, 'attachments-agent-thread');
      await thumbnail.click();
      const full = agent.getByTestId('lightbox-image');
      await full.waitFor();
      await agent.waitForFunction(
        () =>
          document.querySelector<HTMLImageElement>('[data-testid="lightbox-image"]')
            ?.naturalWidth === 320,
      );
      await agent.keyboard.press('Escape');

      // The agent attaches a PDF with the attach button: a chip on the customer's side, which downloads.
      const pdfBytes = Buffer.from(
        '%PDF-1.4\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n',
      );
      await agent.getByTestId('attach-input').setInputFiles({
        name: 'return-label.pdf',
        mimeType: 'application/pdf',
        buffer: pdfBytes,
      });
      await agent
        .getByTestId('draft-file')
        .filter({ hasText: 'return-label.pdf' })
        .and(agent.locator('[data-state="ready"]'))
        .waitFor();
      await agent.getByRole('button', { name: 'Send reply' }).click();
      const chip = customer.getByRole('link', { name: /Download return-label\.pdf PDF/ });
      await chip.waitFor();
      await screenshot(customer, 'attachments-customer-thread');
      const [download] = await Promise.all([customer.waitForEvent('download'), chip.click()]);
      const saved = await download.path();
      const { readFile } = await import('node:fs/promises');
      expect((await readFile(saved)).equals(pdfBytes)).toBe(true);

      // The customer drags a PDF from the desktop onto the message box: it shows as a chip
      // while drafting, and the agent gets a chip that downloads the same bytes.
      const invoice = Buffer.from(
        '%PDF-1.4\n%\u00e2\u00e3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n% invoice 2211\n',
      );
      const dropped = await customer.evaluateHandle((base64) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const data = new DataTransfer();
        data.items.add(new File([bytes], 'invoice-2211.pdf', { type: 'application/pdf' }));
        return data;
      }, invoice.toString('base64'));
      const composerArea = customer.locator('.composer');
      await composerArea.dispatchEvent('dragenter', { dataTransfer: dropped });
      await composerArea.dispatchEvent('dragover', { dataTransfer: dropped });
      await composerArea.dispatchEvent('drop', { dataTransfer: dropped });
      await customer
        .getByTestId('draft-file')
        .filter({ hasText: 'invoice-2211.pdf' })
        .and(customer.locator('[data-state="ready"]'))
        .waitFor();
      await customer.getByRole('button', { name: 'Send', exact: true }).click();
      const droppedChip = agent.getByRole('link', { name: /Download invoice-2211\.pdf PDF/ });
      await droppedChip.waitFor();
      const [agentDownload] = await Promise.all([
        agent.waitForEvent('download'),
        droppedChip.click(),
      ]);
      expect((await readFile(await agentDownload.path())).equals(invoice)).toBe(true);

      // A new ticket with a photo in its description: it opens the conversation.
      await customer.getByRole('link', { name: 'New ticket' }).first().click();
      await customer.getByLabel('Subject').fill('Scratched lid');
      await customer.getByLabel('Description').fill('See the photo.');
      await customer.getByTestId('attach-input').setInputFiles({
        name: 'lid.png',
        mimeType: 'image/png',
        buffer: png,
      });
      await customer
        .getByTestId('draft-file')
        .filter({ hasText: 'lid.png' })
        .and(customer.locator('[data-state="ready"]'))
        .waitFor();
      await customer.getByRole('button', { name: 'Submit ticket' }).click();
      await customer.getByRole('heading', { name: /Scratched lid/ }).waitFor();
      await customer.getByRole('button', { name: /Open image lid\.png/ }).waitFor();
    },
  );
});
