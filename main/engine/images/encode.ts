/**
 * Image outputs: PNG of raw pixels, a contact sheet of square images, an animated GIF of RGB or RGBA frames.
 * Pure functions returning bytes; writing them to disk is `writeFileAtomic`'s job.
 */
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { rgbToRgba } from '../../../shared/pixels';

export async function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 2 | 3 | 4 = 3): Promise<Buffer> {
  checkDims(width, height);
  if (pixels.length !== width * height * channels) {
    throw new RangeError(`encodePng: expected ${width}×${height}×${channels} = ${width * height * channels} bytes, got ${pixels.length}`);
  }
  return sharp(pixels, { raw: { width, height, channels } }).png({ compressionLevel: 6 }).toBuffer();
}

export interface Grid {
  /** width × height × channels bytes: RGB, or straight RGBA. */
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** Channels per pixel of images whose byte length is `bytes` for `pixels` pixels: 3 (RGB) or 4 (RGBA). */
function channelsOf(bytes: number, pixels: number, what: string): 3 | 4 {
  if (bytes === pixels * 3) return 3;
  if (bytes === pixels * 4) return 4;
  throw new RangeError(`${what} has ${bytes} bytes, expected ${pixels}×3 (RGB) or ${pixels}×4 (RGBA)`);
}

/**
 * Contact sheet of square images (each size×size×3 RGB, or all size×size×4 RGBA), left to right then top to
 * bottom, with `pad` pixels of `background` between images and around the edge (transparent for RGBA: a sheet of
 * sprites stays a sheet of sprites). `cols` defaults to ceil(√n), which makes it square-ish.
 */
export function makeGrid(
  images: readonly Uint8Array[],
  size: number,
  cols?: number,
  pad = 2,
  background: readonly [number, number, number] = [255, 255, 255],
): Grid {
  if (images.length === 0) throw new RangeError('makeGrid: no images');
  const channels = channelsOf(images[0].length, size * size, 'makeGrid: image 0');
  const c = Math.max(1, Math.min(images.length, Math.floor(cols ?? Math.ceil(Math.sqrt(images.length)))));
  const rows = Math.ceil(images.length / c);
  const width = c * size + (c + 1) * pad;
  const height = rows * size + (rows + 1) * pad;
  const pixels = new Uint8Array(width * height * channels);
  if (channels === 3) {
    for (let i = 0; i < pixels.length; i += 3) {
      pixels[i] = background[0];
      pixels[i + 1] = background[1];
      pixels[i + 2] = background[2];
    }
  }
  const rowBytes = size * channels;
  images.forEach((img, k) => {
    if (img.length !== size * size * channels) {
      throw new RangeError(`makeGrid: image ${k} has ${img.length} bytes, expected ${size}×${size}×${channels}`);
    }
    const x0 = pad + (k % c) * (size + pad);
    const y0 = pad + Math.floor(k / c) * (size + pad);
    for (let y = 0; y < size; y++) {
      pixels.set(img.subarray(y * rowBytes, (y + 1) * rowBytes), ((y0 + y) * width + x0) * channels);
    }
  });
  return { pixels, width, height, channels };
}

export interface GifOptions {
  /** Delay per frame in milliseconds (GIF stores hundredths; below 20 ms browsers slow it down, so clamped). Default 100. */
  delayMs?: number;
  /** true: loop forever (default); false: play once; a number n ≥ 1: play n times in all (as sharp's `loop`). */
  loop?: boolean | number;
  /** 'global' (default): one palette from all frames, no colour flicker between frames; 'per-frame': best colours per frame. */
  palette?: 'global' | 'per-frame';
}

type Palette = number[][];
interface GifEncoder {
  writeFrame(index: Uint8Array, width: number, height: number, opts: { palette?: Palette; delay?: number; repeat?: number }): void;
  finish(): void;
  bytes(): Uint8Array;
}
interface Gifenc {
  GIFEncoder(): GifEncoder;
  quantize(rgba: Uint8Array, maxColors: number, opts?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' }): Palette;
  applyPalette(rgba: Uint8Array, palette: Palette, format?: 'rgb565' | 'rgb444' | 'rgba4444'): Uint8Array;
}
// gifenc's Node entry is CommonJS whose named exports Node cannot detect; require it directly (typed above).
const gifenc = createRequire(import.meta.url)('gifenc') as Gifenc;

/** Pixels sampled to build a global palette; more adds time, not quality. */
const PALETTE_SAMPLE = 1 << 20;

/** Alpha at or above this is opaque in a GIF, below it transparent (GIF has one transparent colour, no partial alpha). */
const GIF_ALPHA_THRESHOLD = 128;

/**
 * Animated GIF from RGB frames (each width×height×3) or RGBA frames (each ×4: 1-bit transparency, palette index 0
 * is the transparent colour and every frame clears the one before). The file has exactly `frames.length` frames.
 */
export function encodeGif(frames: readonly Uint8Array[], width: number, height: number, opts: GifOptions = {}): Buffer {
  checkDims(width, height);
  if (width > 65535 || height > 65535) throw new RangeError('encodeGif: GIF sides are at most 65535 pixels');
  if (frames.length === 0) throw new RangeError('encodeGif: no frames');
  const n = width * height;
  const channels = channelsOf(frames[0].length, n, 'encodeGif: frame 0');
  frames.forEach((f, k) => {
    if (f.length !== n * channels) throw new RangeError(`encodeGif: frame ${k} has ${f.length} bytes, expected ${width}×${height}×${channels}`);
  });
  const delay = Math.max(20, Math.round(opts.delayMs ?? 100));
  const loop = opts.loop ?? true;
  // gifenc's `repeat` is the NETSCAPE count: 0 = forever, n = n extra plays, -1 = no loop block (play once).
  const plays = loop === true ? 0 : loop === false ? 1 : Math.max(1, Math.floor(loop));
  const repeat = plays === 0 ? 0 : plays === 1 ? -1 : plays - 1;
  const alpha = channels === 4;
  // With transparency, colours are quantized from opaque pixels only and index 0 is kept for "transparent".
  const quantize = (rgba: Uint8Array): Palette =>
    alpha ? [[0, 0, 0], ...gifenc.quantize(opaqueOnly(rgba), 255)] : gifenc.quantize(rgba, 256);
  const global = (opts.palette ?? 'global') === 'global' ? quantize(samplePixels(frames, n, channels)) : undefined;

  const gif = gifenc.GIFEncoder();
  frames.forEach((frame, k) => {
    const rgba = toRgba(frame, n, channels); // gifenc reads pixels as 32-bit RGBA words
    const palette = global ?? quantize(rgba);
    const index = alpha ? transparentIndex(rgba, palette) : gifenc.applyPalette(rgba, palette);
    // With a global palette only the first frame carries it (as the GIF's global colour table).
    gif.writeFrame(index, width, height, {
      palette: global && k > 0 ? undefined : palette,
      delay,
      repeat,
      ...(alpha ? { transparent: true, transparentIndex: 0 } : {}),
    });
  });
  gif.finish();
  const bytes = gif.bytes();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** RGBA copy in a fresh buffer (gifenc views the whole underlying ArrayBuffer, so no shared or offset views). */
function toRgba(pixels: Uint8Array, n: number, channels: 3 | 4): Uint8Array {
  if (channels === 4) return new Uint8Array(pixels);
  const rgba = rgbToRgba(pixels, n);
  return new Uint8Array(rgba.buffer);
}

/** The opaque pixels of RGBA values (at least one, so quantizing an all-transparent frame still works). */
function opaqueOnly(rgba: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length + 4);
  let m = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] < GIF_ALPHA_THRESHOLD) continue;
    out.set(rgba.subarray(i, i + 3), m);
    out[m + 3] = 255;
    m += 4;
  }
  if (m === 0) out[3] = 255;
  return out.subarray(0, Math.max(m, 4)).slice();
}

/** Palette indices with transparent pixels at 0 and opaque ones mapped to the palette's colours after it. */
function transparentIndex(rgba: Uint8Array, palette: Palette): Uint8Array {
  const opaque = new Uint8Array(rgba);
  for (let i = 3; i < opaque.length; i += 4) opaque[i] = 255;
  const index = gifenc.applyPalette(opaque, palette.slice(1));
  for (let p = 0; p < index.length; p++) index[p] = rgba[p * 4 + 3] < GIF_ALPHA_THRESHOLD ? 0 : index[p] + 1;
  return index;
}

/** Up to PALETTE_SAMPLE pixels spread evenly over all frames, as RGBA. */
function samplePixels(frames: readonly Uint8Array[], n: number, channels: 3 | 4): Uint8Array {
  const total = frames.length * n;
  const stride = Math.max(1, Math.ceil(total / PALETTE_SAMPLE));
  const count = Math.ceil(total / stride);
  const out = new Uint8Array(count * 4);
  for (let s = 0, p = 0; s < count; s++, p += stride) {
    const frame = frames[Math.floor(p / n)];
    const j = (p % n) * channels;
    out[s * 4] = frame[j];
    out[s * 4 + 1] = frame[j + 1];
    out[s * 4 + 2] = frame[j + 2];
    out[s * 4 + 3] = channels === 4 ? frame[j + 3] : 255;
  }
  return out;
}

function checkDims(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Image dimensions must be positive integers, got ${width}×${height}`);
  }
}
