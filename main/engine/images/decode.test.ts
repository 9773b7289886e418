import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImageCorpus, type ImageCorpus } from '../../../tests/fixtures/make-image-corpus';
import { prepareImage, prepareImageAny, prepareImageBuffer } from './decode';
import { ImageError } from './image-error';
import { SNIFF_ABOVE_BYTES } from './limits';
import { prepareImages } from './prepare-many';

let corpus: ImageCorpus;
let scratch: string;
const file = (rel: string) => path.join(corpus.dir, ...rel.split('/'));

beforeAll(async () => {
  corpus = await makeImageCorpus(await mkdtemp(path.join(os.tmpdir(), 'vae-decode-')));
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vae-decode-scratch-'));
});
afterAll(async () => {
  await corpus?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** RGB of pixel (x, y) in a size×size×3 image. */
function px(pixels: Uint8Array, size: number, x: number, y: number): [number, number, number] {
  const i = (y * size + x) * 3;
  return [pixels[i], pixels[i + 1], pixels[i + 2]];
}
const isRed = ([r, g, b]: number[]) => r > 180 && g < 80 && b < 80;
const isGrey = ([r, g, b]: number[]) => Math.abs(r - 128) < 25 && Math.abs(g - 128) < 25 && Math.abs(b - 128) < 25;

describe('prepareImage', () => {
  it('applies EXIF orientation: portrait size, marker moves to the top right', async () => {
    const size = 32;
    const img = await prepareImage(file(corpus.orientation.path), size);
    expect([img.width, img.height]).toEqual([corpus.orientation.width, corpus.orientation.height]);
    // Displayed 80×120 → centre crop rows 20–99 → marker at x 60–79, y 5–24 of the 80×80 crop → ×0.4.
    expect(isRed(px(img.pixels, size, 28, 6)), `top right ${px(img.pixels, size, 28, 6)}`).toBe(true);
    // Had orientation been ignored, the marker would sit at the top left instead.
    expect(isGrey(px(img.pixels, size, 4, 4)), `top left ${px(img.pixels, size, 4, 4)}`).toBe(true);
    expect(isGrey(px(img.pixels, size, 16, 28))).toBe(true);
  });

  it('flattens alpha over white by default, over a chosen colour when asked', async () => {
    const size = 20;
    const white = await prepareImage(file(corpus.alphaPng), size);
    expect(px(white.pixels, size, 2, 10)).toEqual([255, 255, 255]); // transparent black → white, not black
    const [r, g, b] = px(white.pixels, size, 17, 10);
    expect(b).toBeGreaterThan(240);
    expect(r + g).toBeLessThan(20);
    const green = await prepareImage(file(corpus.alphaPng), size, { background: { r: 0, g: 255, b: 0 } });
    expect(px(green.pixels, size, 2, 10)).toEqual([0, 255, 0]);
  });

  it('takes the first frame of an animated GIF and WebP', async () => {
    const gif = await prepareImage(file(corpus.animatedGif), 8);
    for (let i = 0; i < 64; i++) expect(px(gif.pixels, 8, i % 8, i >> 3)).toEqual([255, 0, 0]);
    expect([gif.width, gif.height]).toEqual([32, 24]); // one frame, not the stacked pages
    const webp = await prepareImage(file(corpus.animatedWebp), 8);
    expect(px(webp.pixels, 8, 4, 4)).toEqual([0, 255, 0]);
  });

  it('outputs exactly size×size×3 bytes for up- and downscaling', async () => {
    for (const size of [1, 7, 64, 100]) {
      const img = await prepareImage(file('photos/scan.tiff'), size); // 30×20 source
      expect(img.pixels).toBeInstanceOf(Uint8Array);
      expect(img.pixels.length).toBe(size * size * 3);
    }
  });

  it('hashes the file bytes and reports the byte size', async () => {
    const bytes = await readFile(file('photos/still.webp'));
    const img = await prepareImage(file('photos/still.webp'), 16);
    expect(img.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(img.bytes).toBe(bytes.length);
  });

  it('throws ImageError with code, reason and path', async () => {
    const p = file('bad/truncated.jpg');
    const err = await prepareImage(p, 16).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect(err).toMatchObject({ code: 'corrupt', reason: 'truncated or corrupt JPEG data', path: p });
    expect((err as ImageError).message).toBe('truncated or corrupt JPEG data');
  });

  it('reports an unreadable file (chmod 000; not testable as root)', async (ctx) => {
    if (!corpus.permissionsEnforced) {
      console.warn('[decode] not testable here: chmod 000 does not block reading for this user (root)');
      ctx.skip();
    }
    await expect(prepareImage(file(corpus.locked.file), 16)).rejects.toMatchObject({
      code: 'unreadable',
      reason: 'unreadable: permission denied',
    });
  });

  it('rejects a bad size as a programming error', async () => {
    await expect(prepareImage(file('photos/scan.tiff'), 0)).rejects.toThrow(RangeError);
    await expect(prepareImages([], 1.5)).rejects.toThrow(RangeError);
  });
});

describe('prepareImageAny (one-off user images)', () => {
  it('resolves relative paths and decodes the same as prepareImage', async () => {
    const rel = path.relative(process.cwd(), file('photos/alpha.png'));
    const a = await prepareImageAny(rel, 16);
    const b = await prepareImage(file('photos/alpha.png'), 16);
    expect(a.sha256).toBe(b.sha256);
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
  });

  it('names the file in its message', async () => {
    await expect(prepareImageAny(file('bad/notes.jpg'), 16)).rejects.toThrow(
      `Cannot use ${file('bad/notes.jpg')}: not an image (unrecognised format)`,
    );
    await expect(prepareImageAny(path.join(scratch, 'missing.png'), 16)).rejects.toThrow(
      `Cannot use ${path.join(scratch, 'missing.png')}: unreadable: not found`,
    );
    await expect(prepareImageAny(corpus.dir, 16)).rejects.toThrow('unreadable: is a folder');
  });

  it('refuses a FIFO at once instead of blocking on it', async () => {
    const fifo = path.join(scratch, 'pipe.png');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      console.warn('[decode] not testable here: mkfifo unavailable');
      return;
    }
    await expect(prepareImageAny(fifo, 16)).rejects.toThrow('not a regular file (named pipe)');
  });

  it('rejects a big non-image after reading only its first bytes', async () => {
    const big = path.join(scratch, 'movie.jpg');
    const fh = await open(big, 'w');
    await fh.truncate(SNIFF_ABOVE_BYTES + 1); // sparse: costs no disk
    await fh.close();
    await expect(prepareImage(big, 16)).rejects.toMatchObject({ code: 'not-image' });
  });

  it('names a known but unsupported format', async () => {
    const bmp = path.join(scratch, 'old.bmp');
    const header = Buffer.alloc(64);
    header.write('BM', 0, 'latin1');
    await writeFile(bmp, header);
    await expect(prepareImage(bmp, 16)).rejects.toMatchObject({ code: 'unsupported', reason: 'unsupported image format (BMP)' });
  });
});

describe('colour handling', () => {
  const grey = Buffer.alloc(16 * 16, 90);
  const cases: Array<[string, () => Promise<Buffer>]> = [
    ['greyscale PNG', () => sharp(grey, { raw: { width: 16, height: 16, channels: 1 } }).png().toBuffer()],
    ['16-bit PNG', () => sharp(solidRgb(16, [90, 90, 90]), { raw: { width: 16, height: 16, channels: 3 } }).toColourspace('rgb16').png().toBuffer()],
    ['CMYK JPEG', () => sharp(solidRgb(16, [90, 90, 90]), { raw: { width: 16, height: 16, channels: 3 } }).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer()],
    ['grey + alpha PNG', () => sharp(Buffer.alloc(16 * 16 * 2, 90).fill(255, 1, 2), { raw: { width: 16, height: 16, channels: 2 } }).png().toBuffer()],
  ];
  for (const [name, make] of cases) {
    it(`${name} → 8-bit sRGB, 3 channels`, async () => {
      const bytes = await make();
      const img = await prepareImageBuffer(bytes, 8);
      expect(img.pixels.length).toBe(8 * 8 * 3);
      const [r, g, b] = px(img.pixels, 8, 4, 4);
      expect(Math.abs(r - g) + Math.abs(g - b)).toBeLessThan(12); // still neutral grey
    });
  }
});

function solidRgb(side: number, rgb: [number, number, number]): Buffer {
  const out = Buffer.alloc(side * side * 3);
  for (let i = 0; i < side * side; i++) out.set(rgb, i * 3);
  return out;
}

describe('prepareImageBuffer', () => {
  it('prepares bytes in memory like a file', async () => {
    const bytes = await readFile(file(corpus.orientation.path));
    const img = await prepareImageBuffer(bytes, 32);
    expect([img.width, img.height, img.format]).toEqual([80, 120, 'jpeg']);
    await expect(prepareImageBuffer(new Uint8Array(0), 32)).rejects.toMatchObject({ code: 'empty' });
  });
});
