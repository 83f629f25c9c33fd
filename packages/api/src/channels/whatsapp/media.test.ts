import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  startFakeWhatsAppCloud,
  whatsappWebhookBody,
  type FakeWhatsAppCloud,
} from '../testing/fake-whatsapp-cloud';
import { createWhatsAppAdapter } from './index';

const adapterFor = (
  fake: FakeWhatsAppCloud,
  options: { accessToken?: string; maxMediaBytes?: number } = {},
) =>
  createWhatsAppAdapter({
    apiUrl: fake.url,
    phoneNumberId: fake.phoneNumberId,
    accessToken: options.accessToken ?? fake.accessToken,
    appSecret: 'secret',
    verifyToken: 'verify',
    timeoutMs: 5000,
    ...(options.maxMediaBytes !== undefined && { maxMediaBytes: options.maxMediaBytes }),
  });

describe('WhatsApp fetchMedia', () => {
  it('downloads an inbound file named in a webhook: the lookup, then its URL, both with the token', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const bytes = randomBytes(300_000);
    const id = fake.addMedia(bytes, 'image/jpeg');
    const adapter = adapterFor(fake);
    const [item] = adapter.parse({
      method: 'POST',
      url: 'https://parley.example/webhooks/whatsapp',
      headers: {},
      rawBody: Buffer.from(
        whatsappWebhookBody({
          from: '16505551234',
          media: { kind: 'image', id, mimeType: 'image/jpeg' },
        }),
      ),
    });
    if (item?.kind !== 'message' || !item.media[0])
      throw new Error('expected a message with media');
    const file = await adapter.fetchMedia(item.media[0]);
    expect(file.contentType).toBe('image/jpeg');
    expect(file.bytes.equals(bytes)).toBe(true);
    expect(fake.requests.map((r) => [r.method, r.path, r.authorization])).toEqual([
      ['GET', `/v21.0/${id}`, `Bearer ${fake.accessToken}`],
      ['GET', `/download/${id}`, `Bearer ${fake.accessToken}`],
    ]);
  });

  it('refuses a file over the size cap without reading it', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const id = fake.addMedia(randomBytes(2048), 'application/pdf');
    const adapter = adapterFor(fake, { maxMediaBytes: 1024 });
    await expect(
      adapter.fetchMedia({ ref: id, contentType: null, fileName: null }),
    ).rejects.toThrow(/larger than the 1024-byte limit/);
    // The announced file_size is enough: the download itself is never requested.
    expect(fake.requests.map((r) => r.path)).toEqual([`/v21.0/${id}`]);
    // At the limit exactly, it is read.
    const exact = fake.addMedia(randomBytes(1024), 'application/pdf');
    await expect(
      adapter.fetchMedia({ ref: exact, contentType: null, fileName: null }),
    ).resolves.toMatchObject({
      contentType: 'application/pdf',
    });
  });

  it('stops reading a download that grows past the cap when no size was announced', async () => {
    let served = 0;
    const adapter = createWhatsAppAdapter({
      apiUrl: 'https://graph.example',
      phoneNumberId: '1',
      accessToken: 't',
      appSecret: 's',
      verifyToken: 'v',
      maxMediaBytes: 10_000,
      // The lookup names no size and the download has no Content-Length: only counting works.
      fetch: async (input) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.endsWith('/v21.0/m1')) {
          return Response.json({
            messaging_product: 'whatsapp',
            url: 'https://cdn.example/m1',
            mime_type: 'video/mp4',
            id: 'm1',
          });
        }
        const stream = new ReadableStream<Uint8Array>({
          pull(controller) {
            served += 4096;
            controller.enqueue(new Uint8Array(4096));
            if (served > 1_000_000) controller.close();
          },
        });
        return new Response(stream, { headers: { 'content-type': 'video/mp4' } });
      },
    });
    await expect(
      adapter.fetchMedia({ ref: 'm1', contentType: null, fileName: null }),
    ).rejects.toThrow(/larger than the 10000-byte limit/);
    expect(served).toBeLessThan(100_000);
  });

  it('fails clearly for an unknown media id and a wrong token', async () => {
    await using fake = await startFakeWhatsAppCloud();
    await expect(
      adapterFor(fake).fetchMedia({ ref: '404404', contentType: null, fileName: null }),
    ).rejects.toThrow(/WhatsApp media lookup refused \(HTTP 400, code 100, subcode 33\)/);
    const id = fake.addMedia(Buffer.from('x'), 'text/plain');
    await expect(
      adapterFor(fake, { accessToken: 'wrong' }).fetchMedia({
        ref: id,
        contentType: null,
        fileName: null,
      }),
    ).rejects.toThrow(/HTTP 401, code 190/);
  });
});

describe('fake WhatsApp Cloud API', () => {
  it('answers 401 with a Graph error without the bearer token, and records the request', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const response = await fetch(`${fake.url}/v21.0/${fake.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '1650555',
        type: 'text',
        text: { body: 'x' },
      }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
    expect(fake.sent).toMatchObject([{ status: 401, messageId: null }]);
  });

  it('refuses a send over the documented limits (so an adapter that forgets them fails)', async () => {
    await using fake = await startFakeWhatsAppCloud();
    const response = await fetch(`${fake.url}/v21.0/${fake.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fake.accessToken}` },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: '1650555',
        type: 'text',
        text: { body: 'x'.repeat(4097) },
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 100 } });
  });

  it('waitForSends rejects when the sends do not come', async () => {
    await using fake = await startFakeWhatsAppCloud();
    await expect(fake.waitForSends(1, 50)).rejects.toThrow(/got 0 sends, not 1/);
  });
});
