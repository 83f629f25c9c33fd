import type { RouterOutputs } from '@parley/api';

export type UploadedFile = RouterOutputs['attachments']['upload'];

export type UploadHandle = {
  done: Promise<UploadedFile>;
  cancel(): void;
};

export class UploadError extends Error {}

/** What the server said, in one sentence: its refusal when it gave one (size limit in words, rate limit). */
function failureOf(xhr: XMLHttpRequest): string {
  try {
    const body = JSON.parse(xhr.responseText) as { error?: { message?: string } | string };
    const message = typeof body.error === 'string' ? body.error : body.error?.message;
    if (message && xhr.status < 500) return message;
  } catch {
    // Not JSON: fall through to the generic words.
  }
  if (xhr.status === 0) return 'Cannot reach Parley. Check your connection and try again.';
  return 'The file could not be uploaded. Please try again.';
}

/**
 * Uploads one file to `attachments.upload` (tRPC's FormData input, the same wire format
 * as its httpLink) with an XMLHttpRequest, for what fetch cannot give: upload progress
 * and a cancel. With the session cookie, or with `token` (the chat widget's guest
 * token) as `Authorization: Bearer` and no cookie.
 */
export function uploadFile(
  file: File,
  onProgress: (fraction: number) => void,
  token: string | null = null,
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedFile>((resolve, reject) => {
    xhr.open('POST', '/trpc/attachments.upload');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    else xhr.withCredentials = true;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status === 200) {
        const body = JSON.parse(xhr.responseText) as { result: { data: UploadedFile } };
        resolve(body.result.data);
      } else {
        reject(new UploadError(failureOf(xhr)));
      }
    };
    xhr.onerror = () => reject(new UploadError(failureOf(xhr)));
    xhr.onabort = () => reject(new UploadError('Cancelled'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
  return { done, cancel: () => xhr.abort() };
}

const sizeFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** "820 KB", "3.4 MB". */
export function sizeInWords(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${sizeFormat.format(bytes / 1024)} KB`;
  return `${sizeFormat.format(bytes / (1024 * 1024))} MB`;
}

/** "PDF", "JPEG", "File": a short type label for a chip. */
export function typeLabel(contentType: string): string {
  if (contentType === 'application/octet-stream') return 'File';
  const sub = contentType.split('/')[1] ?? '';
  if (sub.includes('wordprocessingml')) return 'Word';
  if (sub.includes('spreadsheetml')) return 'Excel';
  if (sub.includes('presentationml')) return 'PowerPoint';
  return sub.replace(/^x-/, '').toUpperCase();
}
