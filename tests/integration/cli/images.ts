// Image folders for the CLI end-to-end tests, generated on the spot with the synthetic-art fixture and sharp.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { Rng } from '../../../main/engine/ml/rng';
import { drawSyntheticArt } from '../../fixtures/synthetic-art';

/** A PNG of one synthetic-art image, `size`×`size`. */
export async function artPng(seed: number, size: number): Promise<Buffer> {
  const pixels = drawSyntheticArt(new Rng(seed), size);
  return sharp(Buffer.from(pixels), { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

/** A JPEG of `width`×`height` (not square, not the project's size), drawn from the same distribution. */
export async function artJpeg(seed: number, width: number, height: number): Promise<Buffer> {
  const side = Math.max(width, height);
  const pixels = drawSyntheticArt(new Rng(seed), side);
  return sharp(Buffer.from(pixels), { raw: { width: side, height: side, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Writes `count` good PNGs named img-000.png… into `dir`; returns their names. */
export async function writeArtFolder(dir: string, count: number, size: number, firstSeed = 1000): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `img-${String(i).padStart(3, '0')}.png`;
    await writeFile(join(dir, name), await artPng(firstSeed + i, size));
    names.push(name);
  }
  return names;
}

/** Names of the files no decoder can make an image of (see writeBadFiles). */
export const BAD_FILES = ['empty.png', 'truncated.png', 'notes.jpg'] as const;

/** Writes a zero-byte PNG, a PNG cut in half, and a text file named .jpg into `dir`. */
export async function writeBadFiles(dir: string, size: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'empty.png'), Buffer.alloc(0));
  const good = await artPng(7, size);
  await writeFile(join(dir, 'truncated.png'), good.subarray(0, Math.floor(good.length / 2)));
  await writeFile(join(dir, 'notes.jpg'), 'These are my notes, not a picture.\n');
}
