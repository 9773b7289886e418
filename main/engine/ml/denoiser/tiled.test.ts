// Tiling with the real (shipped) denoiser: one tile is exactly the untiled result, and tile borders leave no seam.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processTiled, tileStarts } from '../../denoise/tiling';
import { initBackend } from '../backends';
import { DEFAULT_DENOISER } from './architecture';
import { DenoiserModel } from './model';
import { pretrainedDenoiser } from './pretrained';
import { DenoiserTilePool } from './tile-pool';
import { addNoise, syntheticPhoto } from './test-support/images';

const W = 200;
const H = 150;
let model: DenoiserModel;

beforeAll(async () => {
  await initBackend('wasm');
  model = DenoiserModel.create(DEFAULT_DENOISER, 0);
  const pre = pretrainedDenoiser(DEFAULT_DENOISER);
  if (pre) model.load(pre.weights);
});
afterAll(() => model.dispose());

const fn = (t: Float32Array, w: number, h: number) => model.denoise(t, w, h);

/** Mean |out − clean| per pixel (over channels). */
function errorMap(out: Float32Array, clean: Float32Array): Float32Array {
  return Float32Array.from({ length: W * H }, (_, p) => (Math.abs(out[p * 3] - clean[p * 3]) + Math.abs(out[p * 3 + 1] - clean[p * 3 + 1]) + Math.abs(out[p * 3 + 2] - clean[p * 3 + 2])) / 3);
}

/** Mean and max error within 2 px of where one tile ends or the next begins, and elsewhere. */
function seamVsElsewhere(err: Float32Array, tile: number, overlap: number) {
  const edges = (size: number) => {
    const starts = tileStarts(size, tile, overlap);
    return [...starts.slice(1), ...starts.slice(0, -1).map((s) => s + tile)];
  };
  const near = (v: number, list: number[]) => list.some((e) => Math.abs(v - e) <= 2);
  const [xs, ys] = [edges(W), edges(H)];
  const seam: number[] = [];
  const other: number[] = [];
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) (near(x, xs) || near(y, ys) ? seam : other).push(err[y * W + x]);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  return { seam: mean(seam), elsewhere: mean(other), seamMax: Math.max(...seam), elsewhereMax: Math.max(...other) };
}

describe('tiled denoising with the real model', () => {
  const clean = syntheticPhoto(W, H, 4);
  const noisy = addNoise(clean, 25 / 255, 5);
  const image = { data: noisy, width: W, height: H, channels: 3 };

  it('an image that fits in one tile gives exactly the untiled result', async () => {
    const out = await processTiled(image, 256, 32, fn);
    expect(out.data).toEqual(model.denoise(noisy, W, H));
  });

  it('shows no seam: error along tile borders is as low as elsewhere, and close to the untiled result', async () => {
    const tiled = await processTiled(image, 64, 24, fn);
    const soft = seamVsElsewhere(errorMap(tiled.data, clean), 64, 24);
    const untiled = model.denoise(noisy, W, H);
    const meanDiff = tiled.data.reduce((m, v, i) => m + Math.abs(v - untiled[i]), 0) / tiled.data.length;
    expect(soft.seam).toBeLessThan(soft.elsewhere * 1.1);
    expect(soft.seamMax).toBeLessThan(soft.elsewhereMax * 1.1);
    // Tiles may see the image at the other phase of the stride-2 input layer, so they are not the untiled pass to
    // the bit, but they differ from it by much less than either differs from the clean image.
    expect(meanDiff).toBeLessThan(soft.elsewhere / 2);
  });

  it('tiles on worker threads give the same result as tiles here', async () => {
    const pool = await DenoiserTilePool.create(model, 'wasm', 2);
    try {
      const threaded = await processTiled(image, 64, 24, (t, w, h) => pool.denoise(t, w, h), { concurrency: pool.concurrency });
      expect(threaded.data).toEqual((await processTiled(image, 64, 24, fn)).data);
    } finally {
      await pool.close();
    }
  });
});
