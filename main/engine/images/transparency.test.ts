// Keeping alpha at import: which files count as having transparency, and what the prepared RGBA pixels hold.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareImageBuffer } from './decode';
import { anyTransparent, hasTransparency } from './transparency';

let dir: string;
const at = (name: string) => path.join(dir, name);

/** A 4×4 PNG: the left half opaque orange, the right half transparent with hidden red under it. */
function halfTransparent(): Promise<Buffer> {
  const px = Buffer.alloc(4 * 4 * 4);
  for (let i = 0; i < 16; i++) px.set(i % 4 < 2 ? [255, 128, 0, 255] : [255, 0, 0, 0], i * 4);
  return sharp(px, { raw: { width: 4, height: 4, channels: 4 } }).png().toBuffer();
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vae-alpha-'));
  await writeFile(at('sprite.png'), await halfTransparent());
  // An alpha channel that is opaque everywhere is not transparency (many PNG exporters write one).
  await writeFile(at('opaque-rgba.png'), await sharp({ create: { width: 4, height: 4, channels: 4, background: { r: 9, g: 9, b: 9, alpha: 1 } } }).png().toBuffer());
  await writeFile(at('photo.jpg'), await sharp({ create: { width: 4, height: 4, channels: 3, background: '#808080' } }).jpeg().toBuffer());
  await writeFile(at('broken.png'), Buffer.from('not an image'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('transparency at import', () => {
  it('counts a file as transparent only when a pixel is not fully opaque', async () => {
    expect(await hasTransparency(at('sprite.png'))).toBe(true);
    expect(await hasTransparency(at('opaque-rgba.png'))).toBe(false);
    expect(await hasTransparency(at('photo.jpg'))).toBe(false);
    expect(await hasTransparency(at('broken.png'))).toBe(false); // the import itself says why it cannot be read
    expect(await anyTransparent(['photo.jpg', 'opaque-rgba.png', 'broken.png'].map((n) => ({ absPath: at(n) })))).toBe(false);
    expect(await anyTransparent(['photo.jpg', 'sprite.png'].map((n) => ({ absPath: at(n) })))).toBe(true);
  });

  it('prepares straight RGBA with the hidden colour of transparent pixels cleared', async () => {
    const { pixels } = await prepareImageBuffer(await halfTransparent(), 4, { alpha: true });
    expect(pixels.length).toBe(4 * 4 * 4);
    expect(Array.from(pixels.subarray(0, 4))).toEqual([255, 128, 0, 255]);
    expect(Array.from(pixels.subarray(12, 16))).toEqual([0, 0, 0, 0]);
  });

  it('flattens over white without it, and gives opaque RGB files an opaque alpha with it', async () => {
    const flat = await prepareImageBuffer(await halfTransparent(), 4);
    expect(flat.pixels.length).toBe(4 * 4 * 3);
    expect(Array.from(flat.pixels.subarray(9, 12))).toEqual([255, 255, 255]);
    const jpeg = await prepareImageBuffer(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).jpeg().toBuffer(), 4, { alpha: true });
    expect(Array.from(jpeg.pixels.filter((_, i) => i % 4 === 3))).toEqual(new Array(16).fill(255));
  });
});
