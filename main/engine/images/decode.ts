/**
 * Decode one user image into the square pixels the model trains on. One read of the file (hashed from the
 * same buffer), one header parse, one sharp pipeline:
 *
 *   first frame → EXIF orientation → alpha flattened over a background → centre crop + resize to size×size
 *   (lanczos3) → sRGB, 8-bit, 3 channels, raw HWC.
 *
 * With `alpha`, transparency is kept instead: 4 channels, straight RGBA (libvips resizes premultiplied, so hidden
 * colour does not bleed into edges), each pixel's colour as precisely as its alpha allows (ml/batches canonicalRgba).
 *
 * Strict (`failOn: 'error'`), so a truncated file fails instead of importing grey rows. Every failure is an
 * `ImageError` with a short user-facing reason.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import { classifyDecodeError, type KnownFormat } from './decode-errors';
import { ImageError } from './image-error';
import { MAX_INPUT_PIXELS, MAX_PREPARED_SIZE } from './limits';
import { cutCrops } from './crops';
import { readImageFile } from './read-input';
import { canonicalRgba } from '../ml/batches';

export { MAX_INPUT_PIXELS } from './limits';

export interface Rgb {
  r: number;
  g: number;
  b: number;
}

export interface PrepareOptions {
  /** Colour that transparent pixels are flattened over. Default white. */
  background?: Rgb;
  /**
   * Instead of one resized image: this many size×size crops at native resolution, packed one after another (what
   * a denoiser trains on: real noise and detail survive only unresized). Placed from the file's hash, so the
   * same file always gives the same crops. A photo smaller than size is enlarged just enough.
   */
  crops?: number;
  /** Keep transparency: RGBA out instead of RGB flattened over `background` (not with `crops`). */
  alpha?: boolean;
}

export interface PreparedImage {
  /** size × size × 3 bytes, RGB, row-major (HWC), sRGB; × 4, straight RGBA, with `alpha`. */
  pixels: Uint8Array;
  /** SHA-256 of the file's bytes, lowercase hex (same file content ⇒ same hash, whatever the name). */
  sha256: string;
  /** Source width and height after EXIF orientation (first frame). */
  width: number;
  height: number;
  /** Format as sharp detects it from the content: 'jpeg', 'png', 'webp', 'gif', 'tiff', 'heif' (also AVIF), 'svg', … */
  format: string;
  /** File size in bytes. */
  bytes: number;
}

export const DEFAULT_BACKGROUND: Readonly<Rgb> = Object.freeze({ r: 255, g: 255, b: 255 });

/** Prepare a file found by the scanner. Throws `ImageError` (message = reason, `path` set). */
export async function prepareImage(absPath: string, size: number, opts: PrepareOptions = {}): Promise<PreparedImage> {
  checkSize(size);
  const data = await readImageFile(absPath);
  try {
    return await prepareImageBuffer(data, size, opts);
  } catch (err) {
    if (err instanceof ImageError) throw err.withMessage(err.message, absPath);
    throw err;
  }
}

/**
 * Prepare any image the user points at (reconstruct, interpolate, denoise a single file): relative paths are
 * resolved against the working directory, and the error message names the file as the user gave it,
 * e.g. "Cannot use ~/photo.jpg: truncated or corrupt JPEG data". Same pipeline as `prepareImage`.
 */
export async function prepareImageAny(filePath: string, size: number, opts: PrepareOptions = {}): Promise<PreparedImage> {
  const absPath = path.resolve(filePath);
  try {
    return await prepareImage(absPath, size, opts);
  } catch (err) {
    if (err instanceof ImageError) throw err.withMessage(`Cannot use ${filePath}: ${err.reason}`, absPath);
    throw err;
  }
}

/** Same pipeline on bytes already in memory (an upload). */
export async function prepareImageBuffer(
  data: Uint8Array,
  size: number,
  opts: PrepareOptions = {},
): Promise<PreparedImage> {
  checkSize(size);
  if (data.length === 0) throw new ImageError('empty', 'empty file (0 bytes)');
  const sha256 = createHash('sha256').update(data).digest('hex');

  const image = sharp(data, {
    limitInputPixels: MAX_INPUT_PIXELS,
    failOn: 'error',
    pages: 1, // first frame of an animated GIF/WebP
    page: 0,
  });

  let known: KnownFormat | undefined;
  let width: number;
  let height: number;
  try {
    // Header only (no pixel decode): oriented size and format for the result and for error messages.
    const meta = await image.metadata();
    known = { format: meta.format, compression: meta.compression };
    ({ width, height } = meta.autoOrient);
  } catch (err) {
    throw await classifyDecodeError(err, data);
  }

  const background = opts.background ?? DEFAULT_BACKGROUND;
  const crops = opts.crops;
  if (crops && opts.alpha) throw new RangeError('prepareImage: crops are RGB only');
  const channels = opts.alpha ? 4 : 3;
  let out: { data: Buffer; info: OutputInfo };
  try {
    const oriented = image.autoOrient();
    const resized = (opts.alpha ? oriented : oriented.flatten({ background })).resize(
      size,
      size,
      crops ? { fit: 'outside', withoutReduction: true, kernel: 'lanczos3' } : { fit: 'cover', position: 'centre', kernel: 'lanczos3' },
    );
    out = await (opts.alpha ? resized.ensureAlpha(1) : resized.removeAlpha())
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw await classifyDecodeError(err, data, known);
  }

  const { info } = out;
  const expected = crops ? { w: Math.max(size, info.width), h: Math.max(size, info.height) } : { w: size, h: size };
  if (info.width !== expected.w || info.height !== expected.h || info.channels !== channels || out.data.length !== info.width * info.height * channels) {
    throw new ImageError('decode-failed', 'could not decode: unexpected decoder output', {
      detail: `got ${info.width}×${info.height}×${info.channels} (${out.data.length} bytes)`,
    });
  }

  const pixels = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
  if (opts.alpha) canonicalRgba(pixels);
  return {
    pixels: crops ? cutCrops(pixels, info.width, info.height, size, crops, sha256) : pixels,
    sha256,
    width,
    height,
    format: known.format,
    bytes: data.length,
  };
}

/** Throws a RangeError for a size no model uses (a programming error, not a file error). */
export function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > MAX_PREPARED_SIZE) {
    throw new RangeError(`Image size must be an integer from 1 to ${MAX_PREPARED_SIZE}, got ${size}`);
  }
}
