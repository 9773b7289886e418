// Crops of photographs from Debian's `python3-skimage` data folder, each CC0 or public domain per scikit-image's
// own notes (skimage/data/_fetchers.py): random square crops of random size, resized to 64×64.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Rng } from '../../../main/engine/ml/rng';
import { forEachLimited, type QualityDataset } from './prepared-folder';

export const SKIMAGE_DATA_DIR = '/usr/lib/python3/dist-packages/skimage/data';
/** Photos, not diagrams or test patterns; licences as scikit-image states them. */
export const PHOTOS: Record<string, string> = {
  'astronaut.png': 'public domain (NASA)',
  'camera.png': 'CC0 (Lav Varshney)',
  'chelsea.png': 'CC0 (Stefan van der Walt)',
  'coffee.png': 'CC0 (Rachel Michetti)',
  'rocket.jpg': 'public domain (SpaceX)',
  'hubble_deep_field.jpg': 'public domain (NASA)',
  'retina.jpg': 'CC0 (Häggström)',
  'brick.png': 'CC0 (CC0Textures)',
  'grass.png': 'CC0 (CC0Textures)',
  'gravel.png': 'CC0 (CC0Textures)',
};
const CROPS = 3000;
const SIDE = 64;

export const photoCropsDataset: QualityDataset = {
  name: 'photo-crops',
  imageSize: SIDE,
  describe: `${CROPS} random crops (64–192 px, resized to 64×64) of ${Object.keys(PHOTOS).length} CC0/public-domain photos from scikit-image`,
  recipe: `photo-crops-v1-${CROPS}`,
  async prepare(folder) {
    const sources = Object.keys(PHOTOS).map((f) => join(SKIMAGE_DATA_DIR, f));
    const missing = sources.filter((f) => !existsSync(f));
    if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run scripts/install-system-deps.sh (Debian python3-skimage)`);
    const photos = await Promise.all(
      sources.map(async (file) => {
        const { data, info } = await sharp(file).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
        return { data, width: info.width, height: info.height, channels: info.channels };
      }),
    );
    const rng = new Rng(20260101);
    const plan = Array.from({ length: CROPS }, (_, i) => {
      const photo = photos[i % photos.length];
      const side = Math.min(64 + rng.int(129), photo.width, photo.height);
      return { photo, side, left: rng.int(photo.width - side + 1), top: rng.int(photo.height - side + 1) };
    });
    await forEachLimited(plan, 4, async ({ photo, side, left, top }, i) => {
      await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: photo.channels as 1 | 3 | 4 } })
        .extract({ left, top, width: side, height: side })
        .resize(SIDE, SIDE)
        .toColourspace('srgb')
        .png()
        .toFile(join(folder, `crop-${String(i).padStart(5, '0')}.png`));
    });
    return CROPS;
  },
};
