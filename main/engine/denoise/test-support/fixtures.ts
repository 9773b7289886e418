// Folders of small images for the denoise batch tests, and a way to fingerprint a folder's contents.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { addNoise, syntheticPhoto } from '../../ml/denoiser/test-support/images';

/** A tiny PNG whose pixels depend on `seed`. */
export async function tinyPng(seed: number, size = 8): Promise<Buffer> {
  const pixels = Buffer.alloc(size * size * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (seed * 37 + i * 11) & 255;
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

/** Writes PNGs at the given relative paths ('/'-separated), image i drawn with seed i. */
export async function writePngs(root: string, relPaths: string[]): Promise<void> {
  for (const [i, rel] of relPaths.entries()) {
    const file = join(root, ...rel.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, await tinyPng(i + 1));
  }
}

/** relPath → sha256 of every file below `root` (dot-files included). */
export function fingerprint(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(abs).isDirectory()) walk(abs, r);
      else out[r] = createHash('sha256').update(readFileSync(abs)).digest('hex');
    }
  };
  walk(root, '');
  return out;
}

/** The stand-in denoiser: the input's bytes inverted, with a call log. */
export function standIn(calls: string[] = []) {
  const fn = async (absIn: string) => {
    calls.push(absIn);
    return readFileSync(absIn).map((b) => 255 - b);
  };
  return Object.assign(fn, { calls });
}

/** Noisy photo-like PNGs (96×64, sigma 25) at the given relative paths, for runs with the real denoiser. */
export async function writeNoisyPhotos(root: string, relPaths: string[]): Promise<void> {
  for (const [i, rel] of relPaths.entries()) {
    const file = join(root, ...rel.split('/'));
    await mkdir(dirname(file), { recursive: true });
    const rgb = addNoise(syntheticPhoto(96, 64, i + 1), 25 / 255, i + 7);
    const bytes = Buffer.from(rgb.map((v) => Math.round(v * 255)));
    await writeFile(file, await sharp(bytes, { raw: { width: 96, height: 64, channels: 3 } }).png().toBuffer());
  }
}
