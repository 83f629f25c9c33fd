import type { IncomingMessage, ServerResponse } from 'node:http';
import { unsubscribe } from '@parley/api';
import type { Db } from '@parley/db';

/** Small forms only: RFC 8058's body is `List-Unsubscribe=One-Click`. */
const maxBody = 4096;

/**
 * `/unsubscribe?token=…`, the link in every email's `List-Unsubscribe` header and footer.
 * POST switches the preference off at once (RFC 8058 one-click: the mail client posts
 * `List-Unsubscribe=One-Click`; the signed token is the credential, so no session or
 * same-origin check applies). GET only shows a page with a button that posts: link
 * scanners fetch every URL in a message, and must not unsubscribe anyone.
 */
export async function serveUnsubscribe(
  db: Db,
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
): Promise<void> {
  const token = new URLSearchParams(search).get('token') ?? '';
  if (req.method === 'POST') {
    await drain(req);
    const target = await unsubscribe(db, token);
    if (!target) return page(res, 400, 'This unsubscribe link is not valid.');
    return page(res, 200, 'Done: you will not get these emails any more.');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD, POST' }).end();
    return;
  }
  const action = `/unsubscribe?token=${encodeURIComponent(token)}`;
  page(
    res,
    200,
    'Stop getting this kind of email from Parley?',
    `<form method="post" action="${escapeAttribute(action)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

function page(res: ServerResponse, status: number, message: string, extra = ''): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Email preferences · Parley</title></head>
<body style="font:16px/1.5 system-ui,sans-serif;padding:24px"><main>
<h1 style="font-size:20px">Email preferences</h1>
<p>${message}</p>
${extra}
</main></body></html>
`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; form-action 'self'",
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

async function drain(req: IncomingMessage): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) break;
  }
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
}
