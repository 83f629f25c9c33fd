import type { InboundMedia } from '../adapter';
import type { TwilioSettings } from './settings';

// Inbound media URLs (MediaUrl{N}) are on Twilio's API host and, with HTTP Basic auth
// enforced on media, need the account's credentials; Twilio answers with a redirect to
// the file's short-lived storage address
// (https://www.twilio.com/docs/messaging/api/media-resource).

/**
 * Downloads an inbound file with the account's credentials, following redirects (fetch
 * drops the Authorization header when a redirect leaves the origin). Refuses a file
 * over `maxMediaBytes` without reading past the limit, and gives up after `timeoutMs`.
 * Credentials are only sent to the configured API origin or a twilio.com host.
 */
export async function fetchTwilioMedia(
  settings: TwilioSettings,
  media: InboundMedia,
): Promise<{ bytes: Buffer; contentType: string }> {
  let url: URL;
  try {
    url = new URL(media.ref);
  } catch {
    throw new Error(`Twilio media reference is not a URL: ${media.ref}`);
  }
  if (!isTwilioHost(settings, url)) {
    throw new Error(`Twilio media URL is not on Twilio's API host, not fetched: ${url.origin}`);
  }
  const limit = settings.maxMediaBytes;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), settings.timeoutMs);
  try {
    const response = await settings.fetch(url, {
      headers: { authorization: settings.basicAuth },
      redirect: 'follow',
      signal: abort.signal,
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`Twilio media download failed: HTTP ${response.status} for ${url.pathname}`);
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > limit) {
      await response.body?.cancel();
      throw new Error(`Twilio media is ${declared} bytes, over the ${limit}-byte limit`);
    }
    const bytes = await readAtMost(response, limit, abort);
    const contentType =
      response.headers.get('content-type')?.split(';')[0]?.trim() ||
      media.contentType ||
      'application/octet-stream';
    return { bytes, contentType };
  } catch (error) {
    if (abort.signal.aborted && !(error instanceof MediaTooLargeError)) {
      throw new Error(`Twilio media download took longer than ${settings.timeoutMs} ms`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

class MediaTooLargeError extends Error {
  override name = 'MediaTooLargeError';
  /** The same file will be as large next time (`isPermanentMediaError`). */
  readonly retryable = false;
}

async function readAtMost(response: Response, limit: number, abort: AbortController) {
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  // fetch's body is typed loosely here (no DOM lib); it yields bytes.
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      abort.abort();
      throw new MediaTooLargeError(`Twilio media is over the ${limit}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function isTwilioHost(settings: TwilioSettings, url: URL): boolean {
  if (url.origin === new URL(settings.apiUrl).origin) return true;
  return (
    url.protocol === 'https:' &&
    (url.hostname === 'twilio.com' || url.hostname.endsWith('.twilio.com'))
  );
}
