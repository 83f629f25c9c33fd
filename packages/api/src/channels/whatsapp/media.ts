import { z } from 'zod';
import { GraphApiError, graphRequest, type GraphClient } from './graph-client';

/** WhatsApp's own largest file (documents): nothing bigger can have been sent. */
export const defaultMaxMediaBytes = 100 * 1024 * 1024;

const mediaInfo = z.object({
  url: z.string().url(),
  mime_type: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
});
const uploaded = z.object({ id: z.string().min(1) });

/**
 * Downloads an inbound file: `GET /{media-id}` gives a short-lived URL, which is fetched
 * with the same bearer token. Refuses a file larger than `maxBytes` (by its announced
 * size, its Content-Length, or while reading), without reading the rest.
 */
export async function downloadMedia(
  client: GraphClient,
  mediaId: string,
  maxBytes: number,
): Promise<{ bytes: Buffer; contentType: string }> {
  const info = await graphRequest(
    client,
    'media lookup',
    `${client.base}/${encodeURIComponent(mediaId)}`,
    { method: 'GET' },
    async (response) => {
      const answer = mediaInfo.safeParse(await response.json());
      if (!answer.success) throw new Error(`the lookup of media ${mediaId} gave no download URL`);
      return answer.data;
    },
  );
  const announced = Number(info.file_size);
  if (Number.isFinite(announced) && announced > maxBytes)
    throw tooLarge(mediaId, announced, maxBytes);
  const url = new URL(info.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`WhatsApp media ${mediaId}: unexpected download URL scheme ${url.protocol}`);
  }
  return graphRequest(client, 'media download', url.href, { method: 'GET' }, async (response) => {
    const length = Number(response.headers.get('content-length'));
    if (Number.isFinite(length) && length > maxBytes) {
      await response.body?.cancel();
      throw tooLarge(mediaId, length, maxBytes);
    }
    const bytes = await readAtMost(response, maxBytes, mediaId);
    const contentType =
      info.mime_type ?? response.headers.get('content-type') ?? 'application/octet-stream';
    return { bytes, contentType };
  });
}

/** Uploads a file for sending (`POST /{phone-number-id}/media`, multipart); its media id. */
export async function uploadMedia(
  client: GraphClient,
  phoneNumberId: string,
  file: { bytes: Buffer; contentType: string; fileName: string },
): Promise<string> {
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', file.contentType);
  form.set(
    'file',
    new Blob([new Uint8Array(file.bytes)], { type: file.contentType }),
    file.fileName,
  );
  return graphRequest(
    client,
    'media upload',
    `${client.base}/${encodeURIComponent(phoneNumberId)}/media`,
    { method: 'POST', body: form },
    async (response) => {
      const answer = uploaded.safeParse(await response.json());
      if (!answer.success) throw new Error('the media upload answered without a media id');
      return answer.data.id;
    },
  );
}

async function readAtMost(response: Response, maxBytes: number, mediaId: string): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (the throw) cancels the stream: the rest is never downloaded.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(mediaId, size, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

// Not retryable: the same file will be as large next time.
const tooLarge = (mediaId: string, size: number, maxBytes: number) =>
  new GraphApiError(
    `WhatsApp media ${mediaId} is larger than the ${maxBytes}-byte limit (${size} bytes or more)`,
    { status: null, code: null, subcode: null, retryable: false },
  );
