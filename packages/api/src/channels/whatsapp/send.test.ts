import { describe, expect, it } from 'vitest';
import { PermanentSendError, type OutboundMessage } from '../adapter';
import { startFakeWhatsAppCloud, type FakeWhatsAppCloud } from '../testing/fake-whatsapp-cloud';
import { createWhatsAppAdapter } from './index';

function adapterFor(
  fake: FakeWhatsAppCloud,
  overrides: { accessToken?: string; timeoutMs?: number } = {},
) {
  return createWhatsAppAdapter({
    apiUrl: fake.url,
    phoneNumberId: fake.phoneNumberId,
    accessToken: overrides.accessToken ?? fake.accessToken,
    appSecret: 'secret',
    verifyToken: 'verify',
    timeoutMs: overrides.timeoutMs ?? 5000,
  });
}

const message = (fields: Partial<OutboundMessage>): OutboundMessage => ({
  to: '+16505551234',
  text: '',
  quickReplies: [],
  media: [],
  template: null,
  ...fields,
});

const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '16505551234' };

describe('WhatsApp send', () => {
  it('sends a text with the bearer token and answers the wamid', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const { providerMessageIds } = await adapterFor(fake).send(
      message({ text: 'Your order shipped.' }),
    );
    const [send] = await fake.waitForSends(1);
    expect(send?.body).toEqual({
      ...envelope,
      type: 'text',
      text: { body: 'Your order shipped.', preview_url: true },
    });
    expect(providerMessageIds).toEqual([send?.messageId]);
    expect(providerMessageIds[0]).toMatch(/^wamid\./);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: `/v21.0/${fake.phoneNumberId}/messages`,
      authorization: `Bearer ${fake.accessToken}`,
    });
  });

  it('uses the configured API version in the path', async () => {
    await using fake = await startFakeWhatsAppCloud({ apiVersion: 'v23.0' });
    const adapter = createWhatsAppAdapter({
      apiUrl: `${fake.url}/`,
      apiVersion: 'v23.0',
      phoneNumberId: fake.phoneNumberId,
      accessToken: fake.accessToken,
      appSecret: 's',
      verifyToken: 'v',
    });
    await adapter.send(message({ text: 'hi' }));
    expect(fake.requests[0]?.path).toBe(`/v23.0/${fake.phoneNumberId}/messages`);
  });

  it('splits a text longer than 4096 characters into several messages, every id answered', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const paragraph = `${'word '.repeat(199)}end.\n`; // 1000 characters
    const text = paragraph.repeat(9); // 9000
    const { providerMessageIds } = await adapterFor(fake).send(message({ text }));
    const bodies = fake.sent.map((s) => (s.body.text as { body: string }).body);
    expect(bodies.length).toBe(3);
    expect(bodies.join('')).toBe(text);
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(4096);
    expect(bodies[0]?.endsWith('\n')).toBe(true); // cut at a line break, not mid-word
    expect(providerMessageIds).toEqual(fake.sent.map((s) => s.messageId));
    expect(new Set(providerMessageIds).size).toBe(3);
  });

  it('splits a text without spaces and keeps emoji whole', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const text = 'a'.repeat(4095) + '😀'.repeat(10);
    await adapterFor(fake).send(message({ text }));
    const bodies = fake.sent.map((s) => (s.body.text as { body: string }).body);
    expect(bodies).toEqual(['a'.repeat(4095), '😀'.repeat(10)]);
  });

  it('sends quick replies as reply buttons: the full chip text as id, the title cut to 20 with …', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const chips = ['Yes', 'Talk to a person about my order', 'No thanks'];
    await adapterFor(fake).send(message({ text: 'How can we help?', quickReplies: chips }));
    expect(fake.sent.map((s) => s.body)).toEqual([
      {
        ...envelope,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'How can we help?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'Yes', title: 'Yes' } },
              {
                type: 'reply',
                reply: { id: 'Talk to a person about my order', title: 'Talk to a person ab…' },
              },
              { type: 'reply', reply: { id: 'No thanks', title: 'No thanks' } },
            ],
          },
        },
      },
    ]);
    const title = 'Talk to a person ab…';
    expect([...title].length).toBe(20);
  });

  it('sends a text too long for a buttons body first, then the buttons under its last part', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const text = `${'Please read the terms. '.repeat(60)}\nWhich one?`; // 1391 characters
    const ids = await adapterFor(fake).send(message({ text, quickReplies: ['A', 'B'] }));
    expect(fake.sent.map((s) => s.body.type)).toEqual(['text', 'interactive']);
    const first = (fake.sent[0]?.body.text as { body: string }).body;
    const body = (fake.sent[1]?.body.interactive as { body: { text: string } }).body.text;
    expect(body.length).toBeLessThanOrEqual(1024);
    expect(first + body).toBe(text);
    expect(ids.providerMessageIds).toHaveLength(2);
  });

  it('sends a template with its variables as body parameters', async () => {
    await using fake = await startFakeWhatsAppCloud();
    await adapterFor(fake).send(
      message({
        text: 'ignored: the template is sent instead',
        template: { name: 'ticket_update', language: 'en_US', variables: ['Sheena', '#1042'] },
      }),
    );
    expect(fake.sent.map((s) => s.body)).toEqual([
      {
        ...envelope,
        type: 'template',
        template: {
          name: 'ticket_update',
          language: { code: 'en_US' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Sheena' },
                { type: 'text', text: '#1042' },
              ],
            },
          ],
        },
      },
    ]);
  });

  it('sends a template without variables with no components', async () => {
    await using fake = await startFakeWhatsAppCloud();
    await adapterFor(fake).send(
      message({ template: { name: 'hello_world', language: 'en_US', variables: [] } }),
    );
    expect(fake.sent[0]?.body.template).toEqual({
      name: 'hello_world',
      language: { code: 'en_US' },
    });
  });

  it('uploads a file, then sends it by media id with the text as caption', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const bytes = Buffer.from('%PDF-1.7 fake invoice');
    const { providerMessageIds } = await adapterFor(fake).send(
      message({
        text: 'Your invoice',
        media: [
          {
            url: 'https://parley.example/signed/1',
            contentType: 'application/pdf',
            fileName: 'invoice.pdf',
            read: async () => bytes,
          },
        ],
      }),
    );
    expect(fake.uploads).toHaveLength(1);
    const [upload] = fake.uploads;
    expect(upload?.bytes.equals(bytes)).toBe(true);
    expect(upload).toMatchObject({ mimeType: 'application/pdf', fileName: 'invoice.pdf' });
    expect(fake.requests[0]).toMatchObject({
      path: `/v21.0/${fake.phoneNumberId}/media`,
      body: { messaging_product: 'whatsapp', type: 'application/pdf' },
    });
    expect(fake.sent.map((s) => s.body)).toEqual([
      {
        ...envelope,
        type: 'document',
        document: { id: upload?.id, filename: 'invoice.pdf', caption: 'Your invoice' },
      },
    ]);
    expect(providerMessageIds).toHaveLength(1);
  });

  it('sends images as image and audio without a caption (the text goes first on its own)', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const file = (contentType: string, fileName: string) => ({
      url: 'https://parley.example/signed/x',
      contentType,
      fileName,
      read: async () => Buffer.from(fileName),
    });
    const { providerMessageIds } = await adapterFor(fake).send(
      message({
        text: 'Two files',
        media: [file('image/png', 'a.png'), file('audio/ogg', 'b.ogg')],
      }),
    );
    expect(fake.sent.map((s) => s.body.type)).toEqual(['text', 'image', 'audio']);
    expect(fake.sent[1]?.body.image).toEqual({ id: fake.uploads[0]?.id });
    expect(fake.sent[2]?.body.audio).toEqual({ id: fake.uploads[1]?.id });
    expect(providerMessageIds).toHaveLength(3);
  });

  it('sends a single audio file without a caption: its text goes first on its own', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const voice = {
      url: 'u',
      contentType: 'audio/ogg',
      fileName: 'v.ogg',
      read: async () => Buffer.from('ogg'),
    };
    await adapterFor(fake).send(message({ text: 'Listen', media: [voice] }));
    expect(fake.sent.map((s) => s.body.type)).toEqual(['text', 'audio']);
    expect(fake.sent[1]?.body.audio).toEqual({ id: fake.uploads[0]?.id });
  });

  it('refuses what WhatsApp cannot carry, permanently and before sending anything', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const adapter = adapterFor(fake);
    const file = {
      url: 'u',
      contentType: 'image/png',
      fileName: 'a.png',
      read: async () => Buffer.from('x'),
    };
    await expect(adapter.send(message({ text: '   ' }))).rejects.toThrow(
      /no text, file or template/,
    );
    await expect(
      adapter.send(message({ text: 'x', quickReplies: ['1', '2', '3', '4'] })),
    ).rejects.toThrow(/at most 3 reply buttons/);
    await expect(adapter.send(message({ to: 'not a number', text: 'x' }))).rejects.toThrow(
      /not an E\.164/,
    );
    await expect(
      adapter.send(
        message({ media: [file], template: { name: 't', language: 'en', variables: [] } }),
      ),
    ).rejects.toBeInstanceOf(PermanentSendError);
    expect(fake.requests).toHaveLength(0);
  });

  it('maps 131047 (outside the 24-hour window) to a PermanentSendError that says so', async () => {
    await using fake = await startFakeWhatsAppCloud();
    fake.failNext(400, {
      message: '(#131047) Re-engagement message',
      type: 'OAuthException',
      code: 131047,
      error_data: {
        messaging_product: 'whatsapp',
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    });
    const error = await adapterFor(fake)
      .send(message({ text: 'Following up' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect((error as Error).message).toMatch(/HTTP 400, code 131047/);
    expect((error as Error).message).toMatch(/only an approved template can be sent/);
    expect(fake.sent).toMatchObject([{ status: 400, messageId: null }]);
  });

  it('maps 131026 (undeliverable) and a bad token (401) to PermanentSendError', async () => {
    await using fake = await startFakeWhatsAppCloud();
    fake.failNext(400, { message: 'Message Undeliverable.', code: 131026 });
    const undeliverable = await adapterFor(fake)
      .send(message({ text: 'x' }))
      .catch((e: unknown) => e);
    expect(undeliverable).toBeInstanceOf(PermanentSendError);
    expect((undeliverable as Error).message).toMatch(
      /code 131026\): the message could not be delivered/,
    );
    const wrongToken = await adapterFor(fake, { accessToken: 'stolen' })
      .send(message({ text: 'x' }))
      .catch((e: unknown) => e);
    expect(wrongToken).toBeInstanceOf(PermanentSendError);
    expect((wrongToken as Error).message).toMatch(
      /HTTP 401, code 190\): the access token is invalid/,
    );
    expect(fake.requests.at(-1)).toMatchObject({ status: 401, authorization: 'Bearer stolen' });
  });

  it.each([
    [500, { message: 'An unknown error occurred', code: 1 }],
    [503, { message: 'Service temporarily unavailable', code: 2 }],
    [429, { message: 'Rate limit hit', code: 130429 }],
    [408, { message: 'Timeout', code: 1 }],
    [
      400,
      {
        message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
        code: 131056,
      },
    ],
  ])('treats HTTP %i %o as retryable (a plain Error)', async (status, graphError) => {
    await using fake = await startFakeWhatsAppCloud();
    fake.failNext(status, graphError);
    const error = await adapterFor(fake)
      .send(message({ text: 'x' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PermanentSendError);
    expect((error as Error).message).toContain(`HTTP ${status}`);
    // The next attempt goes through.
    await expect(adapterFor(fake).send(message({ text: 'x' }))).resolves.toMatchObject({
      providerMessageIds: [expect.stringMatching(/^wamid\./)],
    });
  });

  it('treats no answer (refused connection, timeout) as retryable', async () => {
    const fake = await startFakeWhatsAppCloud();
    const adapter = adapterFor(fake, { timeoutMs: 300 });
    await fake.close();
    const refused = await adapter.send(message({ text: 'x' })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect(refused).not.toBeInstanceOf(PermanentSendError);

    const slow = createWhatsAppAdapter({
      apiUrl: 'http://127.0.0.1:1',
      phoneNumberId: '1',
      accessToken: 't',
      appSecret: 's',
      verifyToken: 'v',
      timeoutMs: 200,
      fetch: (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
        }),
    });
    const timedOut = await slow.send(message({ text: 'x' })).catch((e: unknown) => e);
    expect(timedOut).not.toBeInstanceOf(PermanentSendError);
    expect((timedOut as Error).message).toMatch(/no answer within 200 ms/);
  });

  it('says how far a multi-part send got when a later part fails', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const adapter = adapterFor(fake);
    // Part 1 (text) goes; the upload of part 2 is refused (scripted once the file is read).
    const file = {
      url: 'u',
      contentType: 'image/png',
      fileName: 'a.png',
      read: async () => {
        fake.failNext(400, { message: '(#100) Invalid parameter', code: 100 });
        return Buffer.from('x');
      },
    };
    const sending = adapter.send(message({ text: 'a'.repeat(2000), media: [file] }));
    await expect(sending).rejects.toThrow(/after 1 of 2 parts were sent/);
  });
});
