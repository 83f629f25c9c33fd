import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../testing/fake-twilio';
import { createTwilioAdapter } from './create-twilio-adapter';
import type { TwilioConfig } from './settings';

let twilio: FakeTwilio;
const servers: Server[] = [];
beforeEach(async () => {
  twilio = await startFakeTwilio();
});
afterEach(async () => {
  await twilio.close();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const adapterFor = (overrides: Partial<TwilioConfig> = {}) =>
  createTwilioAdapter({
    apiUrl: twilio.url,
    accountSid: twilio.accountSid,
    authToken: twilio.authToken,
    from: '+14155550199',
    statusCallbackUrl: null,
    ...overrides,
  });

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the download to fail');
}

describe('fetchMedia', () => {
  it('downloads a file with Basic auth, following the redirect to storage', async () => {
    const bytes = Buffer.from('%PDF-1.7 a receipt');
    const ref = twilio.addMedia(bytes, 'application/pdf');
    const file = await adapterFor().fetchMedia({
      ref,
      contentType: 'application/pdf',
      fileName: null,
    });
    expect(file).toEqual({ bytes, contentType: 'application/pdf' });
    expect(twilio.mediaRequests).toEqual([{ authorized: true }]);
  });

  it('fails clearly when the credentials are refused', async () => {
    const ref = twilio.addMedia(Buffer.from('x'), 'image/png');
    const error = await rejection(
      adapterFor({ authToken: 'wrong' }).fetchMedia({ ref, contentType: null, fileName: null }),
    );
    expect(error.message).toMatch(/^Twilio media download failed: HTTP 401/);
    expect(twilio.mediaRequests).toEqual([{ authorized: false }]);
  });

  it('refuses a file over maxMediaBytes by its Content-Length', async () => {
    const ref = twilio.addMedia(Buffer.alloc(2000, 1), 'image/jpeg');
    const error = await rejection(
      adapterFor({ maxMediaBytes: 1000 }).fetchMedia({ ref, contentType: null, fileName: null }),
    );
    expect(error.message).toBe('Twilio media is 2000 bytes, over the 1000-byte limit');
  });

  it('keeps a file of exactly maxMediaBytes', async () => {
    const ref = twilio.addMedia(Buffer.alloc(1000, 1), 'image/jpeg');
    const file = await adapterFor({ maxMediaBytes: 1000 }).fetchMedia({
      ref,
      contentType: null,
      fileName: null,
    });
    expect(file.bytes).toHaveLength(1000);
  });

  it('stops reading a streamed file (no Content-Length) once it passes maxMediaBytes', async () => {
    let written = 0;
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'video/mp4' }); // chunked, no length
      const timer = setInterval(() => {
        written += 4096;
        if (!res.write(Buffer.alloc(4096))) return;
        if (written > 1_000_000) {
          clearInterval(timer);
          res.end();
        }
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const error = await rejection(
      adapterFor({ apiUrl: api, maxMediaBytes: 10_000 }).fetchMedia({
        ref: `${api}/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1`,
        contentType: null,
        fileName: null,
      }),
    );
    expect(error.message).toBe('Twilio media is over the 10000-byte limit');
    expect(written).toBeLessThan(1_000_000);
  });

  it('gives up on a download that takes longer than timeoutMs', async () => {
    const api = await serve(() => {
      /* never answers */
    });
    const error = await rejection(
      adapterFor({ apiUrl: api, timeoutMs: 300 }).fetchMedia({
        ref: `${api}/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1`,
        contentType: null,
        fileName: null,
      }),
    );
    expect(error.message).toBe('Twilio media download took longer than 300 ms');
  });

  it("never sends the account's credentials to a host that is not Twilio's", async () => {
    let seen = false;
    const elsewhere = await serve((_req, res) => {
      seen = true;
      res.end('x');
    });
    const error = await rejection(
      adapterFor().fetchMedia({ ref: `${elsewhere}/media/1`, contentType: null, fileName: null }),
    );
    expect(error.message).toMatch(/not on Twilio's API host/);
    expect(seen).toBe(false);
  });

  it('falls back to the webhook content type when the answer has none', async () => {
    const api = await serve((_req, res) => {
      res.removeHeader('content-type');
      res.end(Buffer.from([1, 2, 3]));
    });
    const file = await adapterFor({ apiUrl: api }).fetchMedia({
      ref: `${api}/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1`,
      contentType: 'image/gif',
      fileName: null,
    });
    expect(file).toEqual({ bytes: Buffer.from([1, 2, 3]), contentType: 'image/gif' });
  });
});
