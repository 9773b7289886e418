// A dataset prepared once into a folder of PNGs under bench/out/, reused while its recipe is unchanged: a
// marker file written last records the recipe, so an interrupted preparation is redone rather than trusted.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

export interface QualityDataset {
  name: string;
  /** Side of the square images the project trains on. */
  imageSize: number;
  /** One line for the printed report: what the images are and where they come from. */
  describe: string;
  /** Writes the images into `folder` (created empty beforehand); returns how many were written. */
  prepare(folder: string): Promise<number>;
  /** What changes the prepared images; a different recipe invalidates the cached folder. */
  recipe: string;
}

const MARKER = '.prepared.json';

/** The dataset's folder of PNGs under `root`, preparing it first unless a complete one with the same recipe is there. */
export async function preparedFolder(dataset: QualityDataset, root: string, log: (line: string) => void): Promise<string> {
  const folder = join(root, dataset.name);
  const marker = join(folder, MARKER);
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as { recipe: string; count: number };
    if (saved.recipe === dataset.recipe) return folder;
  }
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  log(`preparing ${dataset.name}: ${dataset.describe}`);
  const count = await dataset.prepare(folder);
  writeFileSync(marker, JSON.stringify({ recipe: dataset.recipe, count }));
  log(`prepared ${count} images of ${dataset.name} in ${folder}`);
  return folder;
}

/** Writes RGB pixels (width×height×3) as a PNG. */
export async function writeRgbPng(path: string, pixels: Uint8Array, width: number, height: number): Promise<void> {
  await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), { raw: { width, height, channels: 3 } }).png().toFile(path);
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function forEachLimited<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
