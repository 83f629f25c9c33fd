import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { withHead, type PageHead } from './page-head';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built web app; any other path that is not a file gets index.html so
 * the client-side router can take it (SPA fallback). `headFor` may give a page its own
 * title and description in that index.html (public help articles).
 */
export function createStaticHandler(
  root: string,
  options: { headFor?: (pathname: string) => Promise<PageHead | null> } = {},
) {
  const indexFile = path.join(root, 'index.html');
  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const wanted = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    const inside = wanted.startsWith(root + path.sep);
    let file = indexFile;
    if (inside) {
      const info = await stat(wanted).catch(() => null);
      if (info?.isFile()) file = wanted;
    }
    const info = await stat(file).catch(() => null);
    if (!info) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('The web app is not built. Run `pnpm build` (or `pnpm start`, which builds it).');
      return;
    }
    const hashedAsset = file.includes(`${path.sep}assets${path.sep}`);
    // A page with a head of its own; a failed lookup (database down) serves the plain app.
    const head =
      file === indexFile && options.headFor
        ? await options.headFor(url.pathname).catch(() => null)
        : null;
    const body = head ? Buffer.from(withHead(await readFile(file, 'utf8'), head)) : null;
    res.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'content-length': body ? body.length : info.size,
      'cache-control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(file === indexFile
        ? {
            'content-security-policy':
              "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            'referrer-policy': 'same-origin',
          }
        : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (body) {
      res.end(body);
      return;
    }
    createReadStream(file).pipe(res);
  };
}
