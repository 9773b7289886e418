// Files for the integration tests: temporary folders, image folders generated on the spot with the synthetic-art
// fixture and sharp, files no decoder can read, and the check that a written picture is not blank.
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import { Rng } from '../../main/engine/ml/rng';
import { drawSyntheticArt } from '../fixtures/synthetic-art';

/** A temporary folder for one test file, removed by the returned function. */
export function makeTempFolder(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `vae-test-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

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

/** Writes `count` good PNGs named img-000.png… into `dir`, image i drawn with seed firstSeed + i; returns their names. */
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

/** The first half of artPng(seed, size): a PNG cut off in the middle of its image data. */
export async function truncatedPng(seed: number, size: number): Promise<Buffer> {
  const good = await artPng(seed, size);
  return good.subarray(0, Math.floor(good.length / 2));
}

/** Names of the files no decoder can make an image of (see writeBadFiles). */
export const BAD_FILES = ['empty.png', 'truncated.png', 'notes.jpg'] as const;

/** Writes a zero-byte PNG, a PNG cut in half, and a text file named .jpg into `dir`. */
export async function writeBadFiles(dir: string, size: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'empty.png'), Buffer.alloc(0));
  await writeFile(join(dir, 'truncated.png'), await truncatedPng(7, size));
  await writeFile(join(dir, 'notes.jpg'), 'These are my notes, not a picture.\n');
}

/** Asserts the picture is not what a user would call blank: some channel varies (standard deviation above 3). */
export async function expectNotBlank(file: string, what = `${file} is not a blank image`): Promise<void> {
  const stats = await sharp(file).stats();
  expect(Math.max(...stats.channels.map((c) => c.stdev)), what).toBeGreaterThan(3);
}
