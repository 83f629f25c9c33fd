import { fileTypeFromBuffer } from 'file-type';

/** Bytes read before the type is decided (enough for every signature `file-type` knows). */
export const sniffBytes = 4100;

export const opaqueType = 'application/octet-stream';

/**
 * Types stored as sniffed. Anything else — executables, scripts, archives of unknown
 * kind, text of any sort (HTML and SVG included) — is stored as `application/octet-stream`
 * and is always downloaded, never rendered.
 */
const knownTypes = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/heic',
  'image/bmp',
  'image/tiff',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-7z-compressed',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'audio/x-wav',
  'audio/mp4',
  'audio/webm',
  'video/mp4',
  'video/webm',
  'video/quicktime',
  'video/ogg',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/x-cfb',
]);

/** Images a browser may show inline on Parley's origin (never SVG: it can carry script). */
export const inlineImageTypes = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

/** The content type of a file from its first bytes; the client's claim is never asked. */
export async function sniffContentType(head: Uint8Array): Promise<string> {
  const found = await fileTypeFromBuffer(head);
  return found && knownTypes.has(found.mime) ? found.mime : opaqueType;
}
