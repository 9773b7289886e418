// Random square crops of a folder of photos, resized to one size: the images the shipped starting point for new
// 64×64 projects (resources/generator) was trained on, from the photos the shipped denoiser was trained on
// (scripts/make-denoiser-photos.ts). Seeded, so the same folder gives the same crops.
// Usage: npx tsx scripts/make-photo-crops.ts <photo folder> <out folder> [--count 12000] [--size 64] [--seed 0]
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { Rng } from '../main/engine/ml/rng';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { count: { type: 'string', default: '12000' }, size: { type: 'string', default: '64' }, seed: { type: 'string', default: '0' } },
});
const [from, out] = positionals;
if (!from || !out) throw new Error('usage: make-photo-crops <photo folder> <out folder> [--count N] [--size S] [--seed S]');
const count = Number(values.count);
const size = Number(values.size);
const rng = new Rng(Number(values.seed));

const photos = await Promise.all(
  readdirSync(from)
    .filter((f) => /\.(png|jpe?g|webp)$/i.test(f))
    .sort()
    .map(async (f) => {
      const { data, info } = await sharp(join(from, f)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, channels: info.channels };
    }),
);
if (photos.length === 0) throw new Error(`No photos in ${from}`);
mkdirSync(out, { recursive: true });
for (let i = 0; i < count; i++) {
  const p = photos[Math.floor(rng.next() * photos.length)];
  const short = Math.min(p.width, p.height);
  // Sides from the output size up to 60 % of the short side: close-ups and wider views, never upscaled.
  const side = Math.round(size + rng.next() * Math.max(0, 0.6 * short - size));
  const left = Math.floor(rng.next() * (p.width - side + 1));
  const top = Math.floor(rng.next() * (p.height - side + 1));
  await sharp(p.data, { raw: { width: p.width, height: p.height, channels: p.channels as 3 } })
    .extract({ left, top, width: side, height: side })
    .resize(size, size, { kernel: 'lanczos3' })
    .png()
    .toFile(join(out, `${String(i).padStart(5, '0')}.png`));
}
console.log(`Wrote ${count} crops of ${size}×${size} from ${photos.length} photos to ${out}`);
