import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createSupportDeskUsers,
  createTestUser,
  failureOf,
  type SupportDeskUsers,
} from '@parley/api/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, startTestServer, type TestServer } from './testing';
import { collector, realtimeClient } from './testing/realtime';

type Client = ReturnType<typeof httpClient>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** A file a PDF reader would recognise (its signature), padded to `size` bytes. */
const pdf = (size: number) =>
  Buffer.concat([Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n'), randomBytes(size)]).subarray(0, size);

function form(bytes: Uint8Array, name: string, type = 'application/octet-stream'): FormData {
  const body = new FormData();
  body.append('file', new File([bytes], name, { type }));
  return body;
}

let t: TestServer;
let users: SupportDeskUsers;
let tokens: Record<'customerA' | 'customerB' | 'agent', string>;
let as: Record<'customerA' | 'customerB' | 'agent', Client>;

beforeAll(async () => {
  t = await startTestServer();
  users = await createSupportDeskUsers(t.database.db);
  const tokenOf = async (id: string) => (await t.server.services.auth.createSession(id)).token;
  tokens = {
    customerA: await tokenOf(users.customerA.id),
    customerB: await tokenOf(users.customerB.id),
    agent: await tokenOf(users.agent.id),
  };
  as = {
    customerA: httpClient(t.url, { token: tokens.customerA }),
    customerB: httpClient(t.url, { token: tokens.customerB }),
    agent: httpClient(t.url, { token: tokens.agent }),
  };
});
afterAll(async () => {
  await t?.[Symbol.asyncDispose]();
});

/** GET a file path, as `who` (Bearer) or with other headers. */
async function download(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${t.url}${url}`, { headers });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}
const bearer = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });

async function openTicket() {
  return as.customerA.tickets.create.mutate({
    subject: 'Damaged box',
    description: 'The box arrived crushed.',
  });
}

describe('attachments over HTTP', () => {
  it('upload, send, and the other side lists the file and downloads identical bytes', async () => {
    const bytes = pdf(1_500_000);
    const uploaded = await as.customerA.attachments.upload.mutate(form(bytes, 'invoice.pdf'));
    expect(uploaded).toEqual({
      id: uploaded.id,
      name: 'invoice.pdf',
      size: bytes.length,
      contentType: 'application/pdf',
    });
    const ticket = await openTicket();
    const sent = await as.customerA.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Here is the invoice',
      clientId: randomUUID(),
      attachmentIds: [uploaded.id],
    });
    const url = `/files/${uploaded.id}/invoice.pdf`;
    expect(sent.attachments).toEqual([{ ...uploaded, url }]);

    const listed = await as.agent.messages.list.query({ ticketId: ticket.id });
    expect(listed.items.at(-1)?.attachments).toEqual([{ ...uploaded, url }]);

    const { response, bytes: back } = await download(url, bearer('agent'));
    expect(response.status).toBe(200);
    expect(sha256(back)).toBe(sha256(bytes));
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="invoice.pdf"/,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox/);
    const etag = response.headers.get('etag');
    expect(etag).toBe(`"${sha256(bytes)}"`);

    // The uploader too, with the session cookie instead of a Bearer token.
    const cookie = `${t.server.services.auth.cookieName}=${tokens.customerA}`;
    expect(sha256((await download(url, { cookie })).bytes)).toBe(sha256(bytes));

    // Conditional and partial requests.
    expect(
      (await download(url, { ...bearer('agent'), 'if-none-match': etag ?? '' })).response.status,
    ).toBe(304);
    const part = await download(url, { ...bearer('agent'), range: 'bytes=1000-299999' });
    expect(part.response.status).toBe(206);
    expect(part.response.headers.get('content-range')).toBe(`bytes 1000-299999/${bytes.length}`);
    expect(part.bytes.equals(bytes.subarray(1000, 300000))).toBe(true);
    const tail = await download(url, { ...bearer('agent'), range: 'bytes=-10' });
    expect(tail.bytes.equals(bytes.subarray(-10))).toBe(true);
    const beyond = await download(url, { ...bearer('agent'), range: `bytes=${bytes.length}-` });
    expect(beyond.response.status).toBe(416);
  });

  it('gives 404 alike to another customer, to no session, to a wrong name and to a made-up id', async () => {
    const uploaded = await as.customerA.attachments.upload.mutate(form(pdf(2000), 'a.pdf'));
    const ticket = await openTicket();
    await as.customerA.messages.send.mutate({
      ticketId: ticket.id,
      body: '',
      clientId: randomUUID(),
      attachmentIds: [uploaded.id],
    });
    const url = `/files/${uploaded.id}/a.pdf`;
    expect((await download(url, bearer('customerA'))).response.status).toBe(200);
    // A message of files only is previewed in words, in the lists.
    const listed = await as.agent.tickets.list.query({ customerId: users.customerA.id });
    expect(listed.items.find((row) => row.id === ticket.id)?.lastMessagePreview).toBe(
      'Sent a file',
    );
    const answers = [
      await download(url, bearer('customerB')),
      await download(url),
      await download(`/files/${uploaded.id}/b.pdf`, bearer('customerA')),
      await download(`/files/${randomUUID()}/a.pdf`, bearer('agent')),
      await download(`/files/not-an-id/a.pdf`, bearer('agent')),
    ];
    for (const { response, bytes } of answers) {
      expect(response.status).toBe(404);
      expect(JSON.parse(bytes.toString())).toEqual({ error: 'Not found' });
    }
  });

  it("never lets a customer reach an internal note's file: not by URL, not in the thread", async () => {
    const ticket = await openTicket();
    const secret = await as.agent.attachments.upload.mutate(form(pdf(5000), 'fraud-report.pdf'));
    const note = await as.agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Card flagged, see report',
      clientId: randomUUID(),
      internal: true,
      attachmentIds: [secret.id],
    });
    expect(note.attachments.map((a) => a.id)).toEqual([secret.id]);
    const url = `/files/${secret.id}/fraud-report.pdf`;
    expect((await download(url, bearer('agent'))).response.status).toBe(200);
    expect((await download(url, bearer('customerA'))).response.status).toBe(404);
    expect((await download(`${url}?thumbnail`, bearer('customerA'))).response.status).toBe(404);
    const thread = await as.customerA.messages.list.query({ ticketId: ticket.id });
    expect(JSON.stringify(thread)).not.toContain(secret.id);
    const found = await as.customerA.tickets.list.query({ q: 'fraud' });
    expect(found.items).toEqual([]);
  });

  it('claims only the sender’s own pending uploads, each once, at most 10', async () => {
    const ticket = await openTicket();
    const send = (who: 'customerA' | 'agent', attachmentIds: string[], body = 'see file') =>
      as[who].messages.send.mutate({
        ticketId: ticket.id,
        body,
        clientId: randomUUID(),
        attachmentIds,
      });
    const ofAgent = await as.agent.attachments.upload.mutate(form(pdf(100), 'x.pdf'));
    const refused = await failureOf(send('customerA', [ofAgent.id]));
    expect(refused.code).toBe('BAD_REQUEST');
    expect((refused.error as Error).message).toContain('upload it again');

    const mine = await as.customerA.attachments.upload.mutate(form(pdf(100), 'y.pdf'));
    await send('customerA', [mine.id]);
    expect((await failureOf(send('customerA', [mine.id]))).code).toBe('BAD_REQUEST');
    expect((await failureOf(send('customerA', [randomUUID()]))).code).toBe('BAD_REQUEST');
    const eleven = Array.from({ length: 11 }, () => randomUUID());
    expect((await failureOf(send('customerA', eleven))).code).toBe('BAD_REQUEST');
    // A message needs words or files.
    expect((await failureOf(send('customerA', [], ''))).code).toBe('BAD_REQUEST');
    // The refused sends claimed nothing: the agent's upload is still pending, theirs to send.
    await send('agent', [ofAgent.id]);
  });

  it('puts files on a new ticket’s description', async () => {
    const file = await as.customerA.attachments.upload.mutate(form(pdf(3000), 'photo.pdf'));
    const ticket = await as.customerA.tickets.create.mutate({
      subject: 'Broken lamp',
      description: 'See the attached report.',
      attachmentIds: [file.id],
    });
    const url = `/files/${file.id}/photo.pdf`;
    expect(ticket.attachments).toEqual([{ ...file, url }]);
    expect((await as.agent.tickets.byId.query({ ticketId: ticket.id })).attachments).toEqual([
      { ...file, url },
    ]);
    expect((await download(url, bearer('agent'))).response.status).toBe(200);
    expect((await download(url, bearer('customerB'))).response.status).toBe(404);
  });

  it('stores HTML, SVG and executables as opaque bytes, served only as sandboxed downloads', async () => {
    const ticket = await openTicket();
    const files = [
      ['page.html', '<html><script>alert(document.cookie)</script></html>'],
      ['logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
      ['setup.exe', `MZ${'\u0090'.repeat(64)}PE\u0000\u0000`],
      ['run', '\u007fELF\u0002\u0001\u0001\u0000'],
    ] as const;
    for (const [name, text] of files) {
      const uploaded = await as.customerA.attachments.upload.mutate(
        form(Buffer.from(text), name, name.endsWith('.svg') ? 'image/svg+xml' : 'text/html'),
      );
      expect(uploaded.contentType).toBe('application/octet-stream');
      await as.customerA.messages.send.mutate({
        ticketId: ticket.id,
        body: name,
        clientId: randomUUID(),
        attachmentIds: [uploaded.id],
      });
      const { response } = await download(`/files/${uploaded.id}/${name}`, bearer('agent'));
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(response.headers.get('content-security-policy')).toMatch(/^sandbox/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('refuses a body over the limit from its Content-Length, before reading it: 413 with the limit in words', async () => {
    // Only the headers are sent: the answer comes without a byte of the 26 MB body.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${t.url}/trpc/attachments.upload`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.customerA}`,
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(26 * 1024 * 1024),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (piece: Buffer) => (body += piece.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { error: { message: string } }).error.message).toBe(
      'This file is too large: files can be up to 25 MB.',
    );
  });

  it('lets a slow client that reads the answer only after sending finish its oversized body', async () => {
    // fetch() in Node and browsers reads the answer once the body is sent. A client that
    // sends 26 MB slowly (a loaded CI machine took over 5 s) was cut off mid-body and saw
    // a reset instead of the 413. Here: 6 MB (the limit is 1 MB) in 1 MB pieces, 1.2 s
    // apart (over 6 s).
    await using small = await startTestServer({
      database: t.database,
      files: { maxBytes: 1024 * 1024 },
    });
    const size = 6 * 1024 * 1024;
    const { port } = new URL(small.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let received = '';
    let closedAt: number | null = null;
    socket.on('data', (piece: Buffer) => (received += piece.toString()));
    socket.on('close', () => (closedAt = Date.now()));
    socket.on('error', () => {});
    socket.write(
      `POST /trpc/attachments.upload HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${tokens.customerA}\r\n` +
        `Content-Type: multipart/form-data; boundary=x\r\nContent-Length: ${size}\r\n\r\n`,
    );
    const piece = Buffer.alloc(1024 * 1024, 120);
    for (let sent = 0; sent < size; sent += piece.length) {
      expect(closedAt, `cut off after ${sent} bytes`).toBe(null);
      await new Promise<void>((resolve) => socket.write(piece, () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 1200));
    }
    const outcome = { status: Number(/^HTTP\/1\.1 (\d+)/.exec(received)?.[1]) };
    socket.destroy();
    expect(outcome.status).toBe(413);
  }, 60_000);

  it('refuses cross-site form posts, and forms anywhere but the upload', async () => {
    const body = form(pdf(10), 'a.pdf');
    const foreign = await fetch(`${t.url}/trpc/attachments.upload`, {
      method: 'POST',
      body,
      headers: {
        origin: 'https://evil.example',
        cookie: `${t.server.services.auth.cookieName}=${tokens.customerA}`,
      },
    });
    expect(foreign.status).toBe(403);
    const noOrigin = await fetch(`${t.url}/trpc/attachments.upload`, {
      method: 'POST',
      body,
      headers: { cookie: `${t.server.services.auth.cookieName}=${tokens.customerA}` },
    });
    expect(noOrigin.status).toBe(403);
    const elsewhere = await fetch(`${t.url}/trpc/messages.send`, {
      method: 'POST',
      body,
      headers: bearer('customerA'),
    });
    expect(elsewhere.status).toBe(403);
  });
});

describe('images', () => {
  /** A photo as phones take them: stored sideways with an EXIF orientation, camera and GPS tags. */
  const photo = () =>
    sharp({ create: { width: 600, height: 300, channels: 3, background: '#c33' } })
      .jpeg()
      .withExif({
        IFD0: { Make: 'PhoneMaker', Model: 'Pocket 9' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();

  it('are stored upright without EXIF or location, shown inline, with a thumbnail', async () => {
    const original = await photo();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const uploaded = await as.customerA.attachments.upload.mutate(
      form(original, 'box.jpg', 'image/jpeg'),
    );
    expect(uploaded).toMatchObject({ contentType: 'image/jpeg', width: 300, height: 600 });
    const ticket = await openTicket();
    const sent = await as.customerA.messages.send.mutate({
      ticketId: ticket.id,
      body: '',
      clientId: randomUUID(),
      attachmentIds: [uploaded.id],
    });
    const [file] = sent.attachments;
    expect(file?.thumbnailUrl).toBe(`/files/${uploaded.id}/box.jpg?thumbnail`);

    const { response, bytes } = await download(file?.url ?? '', bearer('agent'));
    expect(response.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox/);
    const served = await sharp(bytes).metadata();
    expect(served).toMatchObject({ format: 'jpeg', width: 300, height: 600 });
    expect(served.exif).toBeUndefined();
    expect(served.orientation).toBeUndefined();
    expect(bytes.includes('PhoneMaker')).toBe(false);
    expect(sha256(bytes)).toBe(response.headers.get('etag')?.slice(1, -1));
    expect(bytes.length).toBe(uploaded.size);

    const thumb = await download(file?.thumbnailUrl ?? '', bearer('customerA'));
    expect(thumb.response.headers.get('content-type')).toBe('image/webp');
    const small = await sharp(thumb.bytes).metadata();
    expect(small).toMatchObject({ format: 'webp', width: 200, height: 400 });
    expect(small.exif).toBeUndefined();
  });

  it("keeps an internal note's thumbnail from the customer", async () => {
    const ticket = await openTicket();
    const uploaded = await as.agent.attachments.upload.mutate(form(await photo(), 'x.jpg'));
    const note = await as.agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'internal photo',
      clientId: randomUUID(),
      internal: true,
      attachmentIds: [uploaded.id],
    });
    const thumbnailUrl = note.attachments[0]?.thumbnailUrl ?? '';
    expect((await download(thumbnailUrl, bearer('agent'))).response.status).toBe(200);
    expect((await download(thumbnailUrl, bearer('customerA'))).response.status).toBe(404);
  });

  it('refuses an image that cannot be read, and keeps nothing of it', async () => {
    const broken = Buffer.concat([(await photo()).subarray(0, 200), randomBytes(5000)]);
    const stored = async () =>
      (
        await t.database.db.$client.query<{ n: string }>(
          'select (select count(*) from attachments) + (select count(*) from file_chunks) as n',
        )
      ).rows[0]?.n;
    const before = await stored();
    const refused = await failureOf(
      as.customerA.attachments.upload.mutate(form(broken, 'bad.jpg')),
    );
    expect(await stored()).toBe(before);
    expect(refused.code).toBe('BAD_REQUEST');
    expect((refused.error as Error).message).toBe('This image could not be read');
  });
});

describe('attachments live, across processes and stores', () => {
  it("sends a public message's files in its event, and never a note's to the customer", async () => {
    const ticket = await openTicket();
    await using customerSocket = realtimeClient(t.wsUrl, { token: tokens.customerA });
    await using agentSocket = realtimeClient(t.wsUrl, { token: tokens.agent });
    const customerThread = collector();
    const agentThread = collector();
    customerSocket.client.realtime.onTicket.subscribe(
      { ticketId: ticket.id },
      customerThread.handlers,
    );
    agentSocket.client.realtime.onTicket.subscribe({ ticketId: ticket.id }, agentThread.handlers);
    await customerThread.until(() => customerThread.tracked.length > 0);
    await agentThread.until(() => agentThread.tracked.length > 0);

    const secret = await as.agent.attachments.upload.mutate(form(pdf(800), 'internal.pdf'));
    await as.agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'note',
      clientId: randomUUID(),
      internal: true,
      attachmentIds: [secret.id],
    });
    const shared = await as.agent.attachments.upload.mutate(form(pdf(900), 'label.pdf'));
    await as.agent.messages.send.mutate({
      ticketId: ticket.id,
      body: 'Here is the return label',
      clientId: randomUUID(),
      attachmentIds: [shared.id],
    });
    const filesOf = (events: { type: string; data: unknown }[]) =>
      events.flatMap((e) =>
        e.type === 'message.created'
          ? (e.data as { attachments: { id: string; url: string }[] }).attachments
          : [],
      );
    await customerThread.until(() => customerThread.bodies().includes('Here is the return label'));
    await agentThread.until(() => agentThread.bodies().includes('Here is the return label'));
    expect(filesOf(agentThread.events()).map((f) => f.id)).toEqual([secret.id, shared.id]);
    expect(filesOf(customerThread.events())).toEqual([
      { ...shared, url: `/files/${shared.id}/label.pdf` },
    ]);
    expect(JSON.stringify(customerThread.events())).not.toContain(secret.id);
  });

  it('downloads through one server process a file uploaded through another', async () => {
    await using other = await startTestServer({ database: t.database });
    const bytes = pdf(700_000);
    const uploaded = await httpClient(other.url, {
      token: tokens.customerA,
    }).attachments.upload.mutate(form(bytes, 'both.pdf'));
    const ticket = await openTicket();
    await as.customerA.messages.send.mutate({
      ticketId: ticket.id,
      body: 'uploaded elsewhere',
      clientId: randomUUID(),
      attachmentIds: [uploaded.id],
    });
    const { response, bytes: back } = await download(
      `/files/${uploaded.id}/both.pdf`,
      bearer('agent'),
    );
    expect(response.status).toBe(200);
    expect(sha256(back)).toBe(sha256(bytes));
  });

  it('keeps files in PARLEY_FILES_DIR with the directory driver', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-files-'));
    try {
      await using onDisk = await startTestServer({ database: t.database, files: { dir } });
      const client = httpClient(onDisk.url, { token: tokens.customerA });
      const bytes = pdf(300_000);
      const uploaded = await client.attachments.upload.mutate(form(bytes, 'disk.pdf'));
      expect(await readdir(dir)).toEqual([uploaded.id]);
      const response = await fetch(`${onDisk.url}/files/${uploaded.id}/disk.pdf`, {
        headers: bearer('customerA'),
      });
      expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(bytes));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sweeps pending uploads once they expire, bytes and all, and leaves sent ones', async () => {
    await using short = await startTestServer({
      database: t.database,
      files: { pendingTtlSeconds: 60, sweepIntervalSeconds: 0.5 },
    });
    const client = httpClient(short.url, { token: tokens.customerA });
    const left = await client.attachments.upload.mutate(form(pdf(1000), 'left.pdf'));
    const sent = await client.attachments.upload.mutate(form(pdf(1000), 'sent.pdf'));
    const ticket = await openTicket();
    await client.messages.send.mutate({
      ticketId: ticket.id,
      body: 'in time',
      clientId: randomUUID(),
      attachmentIds: [sent.id],
    });
    // Before expiry the uploader may still fetch their pending file.
    expect(
      (await download(`/files/${left.id}/left.pdf`, bearer('customerA'))).response.status,
    ).toBe(200);
    // It expires: aged past the TTL in the database, not by waiting (a loaded machine
    // once took longer than a 1-second TTL between the upload and this point).
    await t.database.db.$client.query(
      `update attachments set created_at = now() - interval '2 minutes' where id = $1`,
      [left.id],
    );
    const deadline = Date.now() + 20_000;
    while (await short.server.services.files.get(left.id)) {
      if (Date.now() > deadline) throw new Error('the expired upload was not swept');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(
      (await download(`/files/${left.id}/left.pdf`, bearer('customerA'))).response.status,
    ).toBe(404);
    expect(
      (
        await failureOf(
          client.messages.send.mutate({
            ticketId: ticket.id,
            body: 'too late',
            clientId: randomUUID(),
            attachmentIds: [left.id],
          }),
        )
      ).code,
    ).toBe('BAD_REQUEST');
    expect((await download(`/files/${sent.id}/sent.pdf`, bearer('agent'))).response.status).toBe(
      200,
    );
  });

  it('limits each file by size (in words) and each user by uploads per window', async () => {
    await using small = await startTestServer({
      database: t.database,
      files: { maxBytes: 100 * 1024 },
      limits: { uploadsPerUser: { max: 4, windowSeconds: 600 } },
    });
    const client = httpClient(small.url, { token: tokens.customerB });
    // Within the body allowance for the form around it, so the procedure itself refuses.
    const tooBig = await failureOf(
      client.attachments.upload.mutate(form(pdf(100 * 1024 + 1), 'big.pdf')),
    );
    expect(tooBig.code).toBe('PAYLOAD_TOO_LARGE');
    expect((tooBig.error as Error).message).toBe(
      'This file is too large: files can be up to 0.1 MB.',
    );
    // Every attempt counts, the refused one too (it is counted before the body is read).
    await client.attachments.upload.mutate(form(pdf(100), '1.pdf'));
    await client.attachments.upload.mutate(form(pdf(100), '2.pdf'));
    await client.attachments.upload.mutate(form(pdf(100), '3.pdf'));
    const limited = await failureOf(client.attachments.upload.mutate(form(pdf(100), '4.pdf')));
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    // Another user is not held back.
    const other = await createTestUser(t.database.db, 'customer');
    const { token } = await small.server.services.auth.createSession(other.id);
    await httpClient(small.url, { token }).attachments.upload.mutate(form(pdf(100), 'a.pdf'));
  });
});

describe('deleting', () => {
  it("deletes a ticket's files with the ticket, their bytes included", async () => {
    const ticket = await openTicket();
    const file = await as.customerA.attachments.upload.mutate(form(pdf(400_000), 'gone.pdf'));
    await as.customerA.messages.send.mutate({
      ticketId: ticket.id,
      body: 'soon gone',
      clientId: randomUUID(),
      attachmentIds: [file.id],
    });
    const chunks = async () =>
      (
        await t.database.db.$client.query<{ n: number }>(
          `select count(*) as n from file_chunks where key like $1`,
          [`${file.id}%`],
        )
      ).rows[0]?.n;
    expect(await chunks()).toBe(2);
    await t.database.db.$client.query('delete from tickets where id = $1', [ticket.id]);
    expect(await chunks()).toBe(0);
    expect(
      (await download(`/files/${file.id}/gone.pdf`, bearer('customerA'))).response.status,
    ).toBe(404);
  });
});

describe('deleting with the directory driver', () => {
  it("deletes a ticket's files from PARLEY_FILES_DIR, thumbnails too, and keeps the rest", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-files-'));
    try {
      await using onDisk = await startTestServer({
        database: t.database,
        files: { dir, sweepIntervalSeconds: 0.5 },
      });
      const client = httpClient(onDisk.url, { token: tokens.customerA });
      const image = await sharp({
        create: { width: 300, height: 300, channels: 3, background: '#36c' },
      })
        .png()
        .toBuffer();
      const doomed = await openTicket();
      const kept = await openTicket();
      const photo = await client.attachments.upload.mutate(form(image, 'box.png'));
      const receipt = await client.attachments.upload.mutate(form(pdf(2000), 'receipt.pdf'));
      const other = await client.attachments.upload.mutate(form(pdf(2000), 'other.pdf'));
      const send = (ticketId: string, attachmentIds: string[]) =>
        client.messages.send.mutate({ ticketId, body: '', clientId: randomUUID(), attachmentIds });
      await send(doomed.id, [photo.id, receipt.id]);
      await send(kept.id, [other.id]);
      expect((await readdir(dir)).sort()).toEqual(
        [photo.id, `${photo.id}.thumb`, receipt.id, other.id].sort(),
      );

      await t.database.db.$client.query('delete from tickets where id = $1', [doomed.id]);
      // The server's sweep deletes the bytes of the rows that went with the ticket.
      const deadline = Date.now() + 15_000;
      while ((await readdir(dir)).length > 1) {
        if (Date.now() > deadline) {
          throw new Error(`files of the deleted ticket stayed: ${(await readdir(dir)).join(', ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await readdir(dir)).toEqual([other.id]);
      // The sweep forgets a deletion once its file is gone (a moment after, on a busy machine).
      const left = async () =>
        (
          await t.database.db.$client.query<{ n: number }>(
            'select count(*)::int as n from file_deletions where key like $1 or key like $2',
            [`${photo.id}%`, `${receipt.id}%`],
          )
        ).rows[0]?.n;
      await expect.poll(left, { timeout: 15_000 }).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
