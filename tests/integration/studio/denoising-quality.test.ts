// The Train screen's view of a denoiser: after training, the state carries the best checkpoint's held-out
// denoising PSNR beside the shipped weights', and says when denoising still uses the shipped weights.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticPhoto } from '../../../main/engine/ml/denoiser/test-support/images';
import { pretrainedDenoiserPath } from '../../../main/engine/ml/denoiser/pretrained';
import { importFolder } from '../../../main/engine/operations/import-folder';
import { train } from '../../../main/engine/operations/train';
import { openProject } from '../../../main/engine/store';
import { restingState } from '../../../main/studio/training-controller';
import { makeTempFolder } from '../files';

const tmp = makeTempFolder('denoising-quality');
afterAll(() => tmp.remove());

describe.skipIf(!pretrainedDenoiserPath())('a denoiser\'s training state', () => {
  it('shows held-out denoising quality against the shipped weights, and that those stay in use while better', async () => {
    const photos = join(tmp.dir, 'photos');
    mkdirSync(photos);
    for (let i = 0; i < 4; i++) {
      const rgb = syntheticPhoto(80, 60, i + 1);
      writeFileSync(join(photos, `p${i}.png`), await sharp(Buffer.from(rgb.map((v) => Math.round(v * 255))), { raw: { width: 80, height: 60, channels: 3 } }).png().toBuffer());
    }
    const store = openProject(join(tmp.dir, 'd.vaestudio'), { create: { kind: 'denoise', imageSize: 32, latentSize: 16, appVersion: 'test' } });
    try {
      await importFolder(store, photos);
      expect(restingState(store).denoising ?? null).toBeNull(); // nothing measured before training
      // A learning rate far too high for a pretrained start: every checkpoint denoises worse than the shipped weights.
      await train(store, { epochs: 2, batch: 8, lr: 0.05, threads: 1, seed: 2 });
      const denoising = restingState(store).denoising!;
      expect(denoising.shipped).toEqual(expect.any(Number));
      expect(denoising.psnr).toBeLessThan(denoising.shipped!);
      expect(denoising.usesShipped).toBe(true);
    } finally {
      store.close();
    }
  }, 120_000);
});
