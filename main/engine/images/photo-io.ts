/**
 * Full-resolution photos in and out for denoising. In: first frame, EXIF orientation applied, pixel values as
 * stored (no colour conversion: the embedded ICC profile stays meaningful), RGB floats in [0, 1] plus the alpha
 * channel if any. Out: the same format as the input, with the same ICC profile and metadata (EXIF, XMP, IPTC;
 * orientation reset to upright, since the pixels are), by drawing the new pixels over the decoded original.
 */
import sharp, { type Sharp } from 'sharp';
import { classifyDecodeError, type KnownFormat } from './decode-errors';
import { ImageError } from './image-error';
import { MAX_INPUT_PIXELS } from './limits';

export interface Photo {
  /** width × height × 3, RGB in [0, 1], row-major. */
  rgb: Float32Array;
  /** width × height alpha bytes, when the photo has transparency. */
  alpha?: Uint8Array;
  width: number;
  height: number;
  /** Format as detected from the content ('jpeg', 'png', 'webp', 'tiff', …). */
  format: string;
  /** A JPEG's chroma subsampling ('4:2:0', '4:4:4', …), as its header says. */
  chromaSubsampling?: string;
  /** The file's bytes (the output is drawn over a fresh decode of them). */
  source: Uint8Array;
}

const open = (data: Uint8Array): Sharp => sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1, page: 0 });

export async function decodePhoto(data: Uint8Array): Promise<Photo> {
  if (data.length === 0) throw new ImageError('empty', 'empty file (0 bytes)');
  let known: KnownFormat | undefined;
  try {
    const meta = await open(data).metadata();
    known = { format: meta.format, compression: meta.compression };
    // Grey images become RGB; colour ones keep their stored values.
    const pipeline = open(data).autoOrient().keepIccProfile();
    const grey = (meta.channels ?? 3) < 3;
    const { data: raw, info } = await (grey ? pipeline.toColourspace('srgb') : pipeline).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const pixels = info.width * info.height;
    const rgb = new Float32Array(pixels * 3);
    const alpha = info.channels === 4 ? new Uint8Array(pixels) : undefined;
    for (let i = 0, s = 0; i < pixels; i++, s += info.channels) {
      rgb[i * 3] = raw[s] / 255;
      rgb[i * 3 + 1] = raw[s + 1] / 255;
      rgb[i * 3 + 2] = raw[s + 2] / 255;
      if (alpha) alpha[i] = raw[s + 3];
    }
    return { rgb, alpha, width: info.width, height: info.height, format: meta.format, chromaSubsampling: meta.chromaSubsampling, source: data };
  } catch (err) {
    throw await classifyDecodeError(err, data, known);
  }
}

/** Encodes `rgb` (same size as `photo`, [0, 1], clipped and rounded here) like the photo: format, profile, alpha. */
export async function encodeLike(photo: Photo, rgb: Float32Array): Promise<Buffer> {
  const channels = photo.alpha ? 4 : 3;
  const pixels = photo.width * photo.height;
  const bytes = Buffer.alloc(pixels * channels);
  for (let i = 0, d = 0; i < pixels; i++, d += channels) {
    for (let c = 0; c < 3; c++) {
      const v = Math.round(rgb[i * 3 + c] * 255);
      bytes[d + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
    if (photo.alpha) bytes[d + 3] = photo.alpha[i];
  }
  // keepMetadata: the EXIF (camera, date, exposure, GPS…), XMP, IPTC and ICC profile of the original stay; the
  // pixels were turned upright on decode, and sharp writes Orientation 1 with them, so nothing is rotated twice.
  let out = open(photo.source)
    .autoOrient()
    .keepMetadata()
    .composite([{ input: bytes, raw: { width: photo.width, height: photo.height, channels }, blend: 'source' }]);
  if (!photo.alpha) out = out.removeAlpha();
  switch (photo.format) {
    case 'jpeg':
      return out.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'png':
      return out.png().toBuffer();
    case 'webp':
      return out.webp({ quality: 95 }).toBuffer();
    case 'tiff':
      return out.tiff({ compression: 'lzw' }).toBuffer();
    case 'gif':
      return out.gif().toBuffer();
    case 'heif':
      return out.avif({ quality: 90 }).toBuffer();
    default:
      throw new ImageError('unsupported', `cannot write ${photo.format} images`);
  }
}
