/**
 * Turn sharp/libvips error messages into the short reasons users see in the import report. The raw message is
 * kept as `detail` for logs. Messages checked against sharp 0.35 / libvips 8.18 (see decode.test.ts).
 */
import sharp from 'sharp';
import { ImageError } from './image-error';
import { MAX_INPUT_PIXELS } from './limits';
import { formatLabel, sniffFormat } from './sniff';

export interface KnownFormat {
  format: string;
  compression?: string;
}

export async function classifyDecodeError(err: unknown, data: Uint8Array, known?: KnownFormat): Promise<ImageError> {
  if (err instanceof ImageError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  const make = (code: ConstructorParameters<typeof ImageError>[0], reason: string) =>
    new ImageError(code, reason, { detail, cause: err });

  if (/exceeds pixel limit/i.test(detail)) return make('too-many-pixels', await tooManyPixelsReason(data));
  if (/buffer is empty/i.test(detail)) return make('empty', 'empty file (0 bytes)');
  if (/out of memory|unable to allocate|cannot allocate|bad_alloc/i.test(detail)) {
    return make('out-of-memory', 'not enough memory to decode this image');
  }
  const sniffed = sniffFormat(data.subarray(0, 64));
  if (/unsupported image format/i.test(detail)) {
    if (sniffed && !sniffed.decodable) return make('unsupported', `unsupported image format (${sniffed.label})`);
    return make('not-image', 'not an image (unrecognised format)');
  }
  const label = known ? formatLabel(known.format, known.compression) : sniffed?.label;
  if (label) return make('corrupt', `truncated or corrupt ${label} data`);
  return make('decode-failed', `could not decode: ${detail.split('\n', 1)[0]}`);
}

const MEGAPIXELS = Math.round(MAX_INPUT_PIXELS / 1_000_000);

async function tooManyPixelsReason(data: Uint8Array): Promise<string> {
  try {
    // Header only: no pixels are decoded, so lifting the limit here is safe.
    const meta = await sharp(data, { limitInputPixels: false, pages: 1 }).metadata();
    return `too many pixels (${meta.width}×${meta.height} exceeds the limit of ${MEGAPIXELS} megapixels)`;
  } catch {
    return `too many pixels (exceeds the limit of ${MEGAPIXELS} megapixels)`;
  }
}
