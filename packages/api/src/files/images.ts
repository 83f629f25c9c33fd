import { Readable } from 'node:stream';
import sharp from 'sharp';
import { AppError } from '../errors';
import type { FileStorage } from './storage';

/** Images re-encoded on upload: turned upright by their EXIF orientation, all metadata dropped. */
export const cleanedImageTypes = new Set(['image/jpeg', 'image/png', 'image/webp']);
/** Images that get a thumbnail (a GIF's is its first frame). */
const thumbnailTypes = new Set([...cleanedImageTypes, 'image/gif']);

/** The longest side of a thumbnail, in pixels. */
export const thumbnailSize = 400;
/** Larger images are refused as unreadable rather than decoded (a decompression bomb). */
const maxPixels = 100_000_000;

const unreadable = () => new AppError('BAD_REQUEST', 'This image could not be read');

/**
 * An image's bytes turned upright (EXIF orientation applied) and re-encoded without any
 * metadata — no EXIF, no GPS location — in its own format, streamed. What is stored and
 * served is this, never the camera's original.
 */
export function cleanedImage(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const image = sharp({ failOn: 'error', limitInputPixels: maxPixels })
    .rotate()
    .jpeg({ quality: 90, force: false })
    .webp({ quality: 90, force: false });
  const input = Readable.from(source);
  input.on('error', (error) => image.destroy(error));
  input.pipe(image);
  return (async function* () {
    try {
      for await (const piece of image) yield piece as Buffer;
    } catch (error) {
      throw error instanceof AppError ? error : unreadable();
    }
  })();
}

/**
 * Reads a stored image once: its size as shown, and a small WebP thumbnail stored under
 * `<key>.thumb`. Returns null for types without thumbnails.
 */
export async function describeImage(
  files: FileStorage,
  key: string,
  contentType: string,
): Promise<{ width: number; height: number } | null> {
  if (!thumbnailTypes.has(contentType)) return null;
  const stored = await files.get(key);
  if (!stored) throw new Error(`stored image ${key} is missing`);
  const image = sharp({ failOn: 'error', limitInputPixels: maxPixels });
  stored.pipe(image);
  try {
    const { width, height, orientation } = await image.metadata();
    const thumbnail = await image
      .rotate()
      .resize(thumbnailSize, thumbnailSize, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    await files.put(`${key}.thumb`, Readable.from([thumbnail]));
    // A GIF is not turned upright on upload: report the size as it is shown.
    const turned = orientation !== undefined && orientation >= 5;
    return turned ? { width: height, height: width } : { width, height };
  } catch {
    await files.delete(`${key}.thumb`).catch(() => {});
    throw unreadable();
  }
}
