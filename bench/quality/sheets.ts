// Sample sheets: grids of images written as PNGs, and one picture with the real held-out sheet beside each
// prior's samples, so a person can judge the generated images against real ones at a glance.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { encodePng, makeGrid, writeFileAtomic } from '../../main/engine/images';

export async function writeSheet(path: string, images: Uint8Array[], size: number, cols = 8): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const grid = makeGrid(images, size, Math.min(cols, images.length));
  await writeFileAtomic(path, await encodePng(grid.pixels, grid.width, grid.height));
}

/** The sheets left to right with a grey gutter between them, written as one PNG. */
export async function writeSideBySide(path: string, sheets: string[], gutter = 16): Promise<void> {
  const parts = await Promise.all(sheets.map(async (file) => ({ input: await sharp(file).toBuffer(), meta: await sharp(file).metadata() })));
  const width = parts.reduce((w, p) => w + (p.meta.width ?? 0), 0) + gutter * (parts.length - 1);
  const height = Math.max(...parts.map((p) => p.meta.height ?? 0));
  let left = 0;
  const composite = parts.map((p) => {
    const placed = { input: p.input, left, top: 0 };
    left += (p.meta.width ?? 0) + gutter;
    return placed;
  });
  const png = await sharp({ create: { width, height, channels: 3, background: '#808080' } }).composite(composite).png().toBuffer();
  mkdirSync(dirname(path), { recursive: true });
  await writeFileAtomic(path, png);
}
