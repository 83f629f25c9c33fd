import { randomUUID } from 'node:crypto';
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';

export type StreamedForm = {
  /** A fetch `Request` for tRPC whose `formData()` streams the body to disk. */
  request: Request;
  /** Deletes the spooled file (call once the answer is sent). */
  cleanup(): Promise<void>;
};

/**
 * tRPC's FormData input, without the body in memory: undici's `Request.formData()`
 * reads a whole multipart body into memory, so for an upload the request handed to
 * tRPC parses it as it arrives (busboy) and spools the file to a temporary file; the
 * `File` in the FormData is backed by that file on disk (`fs.openAsBlob`). At most
 * `maxFileBytes + 1` bytes of a file are kept: one more than the limit, so the
 * procedure sees that it is over and refuses it in words.
 */
export function streamedForm(req: IncomingMessage, url: URL, maxFileBytes: number): StreamedForm {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const aborted = new AbortController();
  req.once('close', () => {
    if (!req.complete) aborted.abort();
  });
  const request = new Request(url, { method: 'POST', headers, signal: aborted.signal });
  let dir: string | null = null;

  async function formData(): Promise<FormData> {
    dir = await mkdtemp(path.join(tmpdir(), 'parley-upload-'));
    const spoolDir = dir;
    const form = new FormData();
    const files: Promise<void>[] = [];
    await new Promise<void>((resolve, reject) => {
      const parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: maxFileBytes + 1, fields: 20, fieldSize: 4096, parts: 25 },
      });
      parser.on('file', (name, stream, info) => {
        const spooled = path.join(spoolDir, randomUUID());
        files.push(
          pipeline(stream, createWriteStream(spooled)).then(async () => {
            const blob = await openAsBlob(spooled);
            form.append(name, new File([blob], info.filename, { type: info.mimeType }));
          }),
        );
      });
      parser.on('field', (name, value) => form.append(name, value));
      parser.on('error', reject);
      parser.on('close', resolve);
      req.on('error', reject);
      req.pipe(parser);
    });
    await Promise.all(files);
    return form;
  }

  Object.defineProperty(request, 'formData', { value: formData });
  return {
    request,
    async cleanup() {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
