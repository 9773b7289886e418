// npx tsx bench/noise-blend-calibration.ts — where main/engine/ml/denoiser/noise-blend.ts's numbers come from: for
// Gaussian noise σ = 0..50 (0..255) on skimage photos that bench:denoise does not score (ihc, motorcycle_right,
// retina; 512 px wide), the blend input + b·(denoised − input) with the least squared error (closed form per photo)
// beside blendForNoise(σ), and the PSNR of the noisy input, the full output and the output at blendForNoise(σ).
// About a minute on 2 cores.
import { join } from 'node:path';
import sharp from 'sharp';
import { processTiled } from '../main/engine/denoise/tiling';
import { initBackend } from '../main/engine/ml/backends';
import { DEFAULT_DENOISER } from '../main/engine/ml/denoiser/architecture';
import { DenoiserModel } from '../main/engine/ml/denoiser/model';
import { blendForNoise } from '../main/engine/ml/denoiser/noise-blend';
import { pretrainedDenoiser } from '../main/engine/ml/denoiser/pretrained';
import { Rng } from '../main/engine/ml/rng';
import { TILE_OVERLAP, tileLayout, tileRunner } from '../main/engine/operations/denoiser-session';

const DATA = '/usr/lib/python3/dist-packages/skimage/data';
const PHOTOS = ['ihc.png', 'motorcycle_right.png', 'retina.jpg'];
const SIGMAS = [0, 2, 4, 6, 8, 10, 15, 25, 50];

const model = DenoiserModel.create(DEFAULT_DENOISER, 0);
model.load(pretrainedDenoiser(DEFAULT_DENOISER)!.weights);
const pool = await tileRunner(model, await initBackend('auto'));
const psnr = (se: number, n: number) => (se === 0 ? '∞' : (10 * Math.log10(n / se)).toFixed(2));
console.log('photo | σ | best blend | blendForNoise | PSNR noisy | full | at blendForNoise');
console.log('---|---|---|---|---|---|---');
try {
  for (const file of PHOTOS) {
    const { data, info } = await sharp(join(DATA, file)).removeAlpha().resize({ width: 512, withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
    const clean = Float32Array.from(data, (v) => v / 255);
    for (const sigma of SIGMAS) {
      const rng = new Rng(sigma + 1);
      const noisy = clean.map((v) => Math.round(Math.min(1, Math.max(0, v + (sigma / 255) * rng.normal())) * 255) / 255);
      const image = { data: noisy, width: info.width, height: info.height, channels: 3 };
      const out = await processTiled(image, tileLayout(info.width, info.height, 1), TILE_OVERLAP, (t, w, h) => pool.denoise(t, w, h), { concurrency: pool.concurrency });
      const b = blendForNoise(sigma);
      let num = 0, den = 0, seNoisy = 0, seFull = 0, seBlend = 0;
      for (let i = 0; i < clean.length; i++) {
        const d = Math.min(1, Math.max(0, out.data[i])) - noisy[i];
        num += d * (clean[i] - noisy[i]);
        den += d * d;
        seNoisy += (noisy[i] - clean[i]) ** 2;
        seFull += (noisy[i] + d - clean[i]) ** 2;
        seBlend += (noisy[i] + b * d - clean[i]) ** 2;
      }
      console.log([file, sigma, (num / den).toFixed(2), b.toFixed(2), psnr(seNoisy, clean.length), psnr(seFull, clean.length), psnr(seBlend, clean.length)].join(' | '));
    }
  }
} finally {
  await pool.close();
}
