// Regenerates resources/sample-dataset/: the small, procedurally drawn image set the first-run demo trains on.
// Run: npx tsx scripts/make-sample-dataset.ts
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Rng } from '../main/engine/ml/rng';
import { drawSyntheticArt } from '../tests/fixtures/synthetic-art';

const COUNT = 200;
const SIZE = 64;
const dir = join(import.meta.dirname, '..', 'resources', 'sample-dataset');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const rng = new Rng(20261124);
for (let i = 0; i < COUNT; i++) {
  const pixels = drawSyntheticArt(rng, SIZE);
  await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toFile(join(dir, `art-${String(i).padStart(3, '0')}.png`));
}
console.log(`Wrote ${COUNT} images to ${dir}`);
