/**
 * Image outputs: PNG of raw pixels, a contact sheet of square images, an animated GIF of RGB frames.
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
  /** width × height × 3 bytes, RGB. */
  pixels: Uint8Array;
  width: number;
  height: number;
}

/**
 * Contact sheet of square RGB images (each size×size×3), left to right then top to bottom, with `pad` pixels of
 * `background` between images and around the edge. `cols` defaults to ceil(√n), which makes it square-ish.
 */
export function makeGrid(
  images: readonly Uint8Array[],
  size: number,
  cols?: number,
  pad = 2,
  background: readonly [number, number, number] = [255, 255, 255],
): Grid {
  if (images.length === 0) throw new RangeError('makeGrid: no images');
  const c = Math.max(1, Math.min(images.length, Math.floor(cols ?? Math.ceil(Math.sqrt(images.length)))));
  const rows = Math.ceil(images.length / c);
  const width = c * size + (c + 1) * pad;
  const height = rows * size + (rows + 1) * pad;
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < pixels.length; i += 3) {
    pixels[i] = background[0];
    pixels[i + 1] = background[1];
    pixels[i + 2] = background[2];
  }
  const rowBytes = size * 3;
  images.forEach((img, k) => {
    if (img.length !== size * size * 3) {
      throw new RangeError(`makeGrid: image ${k} has ${img.length} bytes, expected ${size}×${size}×3`);
    }
    const x0 = pad + (k % c) * (size + pad);
    const y0 = pad + Math.floor(k / c) * (size + pad);
    for (let y = 0; y < size; y++) {
      pixels.set(img.subarray(y * rowBytes, (y + 1) * rowBytes), ((y0 + y) * width + x0) * 3);
    }
  });
  return { pixels, width, height };
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

/** Animated GIF from RGB frames (each width×height×3). The file has exactly `frames.length` frames. */
export function encodeGif(frames: readonly Uint8Array[], width: number, height: number, opts: GifOptions = {}): Buffer {
  checkDims(width, height);
  if (width > 65535 || height > 65535) throw new RangeError('encodeGif: GIF sides are at most 65535 pixels');
  if (frames.length === 0) throw new RangeError('encodeGif: no frames');
  const n = width * height;
  frames.forEach((f, k) => {
    if (f.length !== n * 3) throw new RangeError(`encodeGif: frame ${k} has ${f.length} bytes, expected ${width}×${height}×3`);
  });
  const delay = Math.max(20, Math.round(opts.delayMs ?? 100));
  const loop = opts.loop ?? true;
  // gifenc's `repeat` is the NETSCAPE count: 0 = forever, n = n extra plays, -1 = no loop block (play once).
  const plays = loop === true ? 0 : loop === false ? 1 : Math.max(1, Math.floor(loop));
  const repeat = plays === 0 ? 0 : plays === 1 ? -1 : plays - 1;
  const global = (opts.palette ?? 'global') === 'global' ? gifenc.quantize(samplePixels(frames, n), 256) : undefined;

  const gif = gifenc.GIFEncoder();
  frames.forEach((frame, k) => {
    const rgba = toRgba(frame, n); // gifenc reads pixels as 32-bit RGBA words
    const palette = global ?? gifenc.quantize(rgba, 256);
    const index = gifenc.applyPalette(rgba, palette);
    // With a global palette only the first frame carries it (as the GIF's global colour table).
    gif.writeFrame(index, width, height, { palette: global && k > 0 ? undefined : palette, delay, repeat });
  });
  gif.finish();
  const bytes = gif.bytes();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** RGBA copy in a fresh buffer (gifenc views the whole underlying ArrayBuffer, so no shared or offset views). */
function toRgba(rgb: Uint8Array, n: number): Uint8Array {
  const rgba = rgbToRgba(rgb, n);
  return new Uint8Array(rgba.buffer);
}

/** Up to PALETTE_SAMPLE pixels spread evenly over all frames, as RGBA. */
function samplePixels(frames: readonly Uint8Array[], n: number): Uint8Array {
  const total = frames.length * n;
  const stride = Math.max(1, Math.ceil(total / PALETTE_SAMPLE));
  const count = Math.ceil(total / stride);
  const out = new Uint8Array(count * 4);
  for (let s = 0, p = 0; s < count; s++, p += stride) {
    const frame = frames[Math.floor(p / n)];
    const j = (p % n) * 3;
    out[s * 4] = frame[j];
    out[s * 4 + 1] = frame[j + 1];
    out[s * 4 + 2] = frame[j + 2];
    out[s * 4 + 3] = 255;
  }
  return out;
}

function checkDims(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`Image dimensions must be positive integers, got ${width}×${height}`);
  }
}
