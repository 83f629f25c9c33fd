import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { fileViewer, inlineImageTypes, type Services } from '@parley/api';
import { findVisibleAttachment, type AttachmentRow } from '@parley/db';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Served files never run as a page of Parley's origin, whatever they contain. */
const fileHeaders = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'; img-src 'self'; media-src 'self'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  // Access is checked on every request; the ETag spares the bytes of a repeat.
  'cache-control': 'private, no-cache',
};

/** `Content-Disposition` with an ASCII fallback and the UTF-8 name (RFC 6266). */
function disposition(type: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range within `size`; 'bad' when unsatisfiable. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | null | 'bad' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null; // several ranges or another unit: answer the whole file
  const [, from, to] = match;
  if (from === '' && to === '') return 'bad';
  let start: number;
  let end: number;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'bad';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) return 'bad';
  return { start, end };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json', ...fileHeaders });
  res.end(JSON.stringify({ error: 'Not found' }));
}

/**
 * `GET /files/:id/:name` (`?thumbnail` for an image's preview): the file to someone
 * who may see its message — with the session cookie or `Authorization: Bearer` (a
 * chat-widget guest's token too: their own chats' files only). Anyone
 * else, and any id or name that does not match, gets the same 404.
 */
export async function serveFile(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Method not allowed' }));
    return;
  }
  const [, , id, rawName, ...rest] = path.split('/');
  if (!id || !uuidPattern.test(id) || rawName === undefined || rest.length) return notFound(res);
  const viewer = await fileViewer(services, req.headers);
  if (!viewer) return notFound(res);
  const row = await findVisibleAttachment(services.db, { id, viewer });
  if (!row || decodeURIComponent(rawName) !== row.name) return notFound(res);

  const thumbnail = query.has('thumbnail');
  if (thumbnail && !row.hasThumbnail) return notFound(res);
  await sendAttachment(services, req, res, row, thumbnail);
}

/** Answers with one stored file (ranges, ETag, safe headers), once access was decided. */
export async function sendAttachment(
  services: Services,
  req: IncomingMessage,
  res: ServerResponse,
  row: AttachmentRow,
  thumbnail: boolean,
): Promise<void> {
  const key = thumbnail ? `${row.id}.thumb` : row.id;
  const etag = thumbnail ? `"${row.sha256}-thumbnail"` : `"${row.sha256}"`;
  const contentType = thumbnail ? 'image/webp' : row.contentType;
  const inline = thumbnail || inlineImageTypes.has(row.contentType);
  const headers: Record<string, string | number> = {
    ...fileHeaders,
    'content-type': contentType,
    'content-disposition': disposition(inline ? 'inline' : 'attachment', row.name),
    etag,
    'accept-ranges': 'bytes',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }

  // A thumbnail's size is not in the row: it is small, and counted here.
  let size = row.size;
  if (thumbnail) {
    const whole = await services.files.get(key);
    if (!whole) return notFound(res);
    size = 0;
    for await (const piece of whole) size += (piece as Buffer).length;
  }

  const ifRange = req.headers['if-range'];
  const range =
    ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, size) : null;
  if (range === 'bad') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` });
    res.end();
    return;
  }
  if (req.method === 'HEAD') {
    res.writeHead(200, { ...headers, 'content-length': size });
    res.end();
    return;
  }
  const body = await services.files.get(key, range ?? undefined);
  if (!body) return notFound(res);
  if (range) {
    res.writeHead(206, {
      ...headers,
      'content-length': range.end - range.start + 1,
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
    });
  } else {
    res.writeHead(200, { ...headers, 'content-length': size });
  }
  await pipeline(body, res).catch(() => {
    // The client went away mid-file: nothing to answer.
  });
}
