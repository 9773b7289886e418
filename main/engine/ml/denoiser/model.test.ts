import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { Rng } from '../rng';
import { DEFAULT_DENOISER, macsPerPixel } from './architecture';
import { DenoiserModel } from './model';
import { pretrainedDenoiser } from './pretrained';
import { noisyPatches } from './synthetic-noise';
import { addNoise, psnr, syntheticPhoto } from './test-support/images';

const tiny = { width: 8, latent: 4, encoderLayers: 1, decoderLayers: 1 };

beforeAll(async () => {
  await initBackend('wasm');
});

function batchOf(model: DenoiserModel, n: number, side: number, seed: number) {
  const rng = new Rng(seed);
  const crops = new Uint8Array(n * side * side * 3).map((_, i) => (i * 7 + seed) & 255);
  const { clean, noisy } = noisyPatches(crops, side, Array.from({ length: n }, (_, i) => i), side, rng);
  return DenoiserModel.batch(clean, noisy, rng.normals(n * model.latentSize(side)), n);
}

describe('denoising VAE', () => {
  it('denoises images of any size, odd sides included, to the same size', () => {
    const model = DenoiserModel.create(tiny, 1);
    for (const [w, h] of [[37, 23], [1, 1], [64, 48], [5, 130]]) {
      const out = model.denoise(syntheticPhoto(w, h), w, h);
      expect(out).toHaveLength(w * h * 3);
      expect(out.every(Number.isFinite)).toBe(true);
    }
    model.dispose();
  });

  it('has a gradient for every parameter, shaped like it, and sane loss terms', () => {
    const model = DenoiserModel.create(tiny, 1);
    const { grads, terms } = model.batchGradients(batchOf(model, 3, 16, 5), 1);
    for (const [name, p] of model.params) expect(grads[name].shape, name).toEqual(p.shape);
    expect(terms.kl).toBeGreaterThan(0);
    expect(Number.isFinite(terms.recon)).toBe(true);
    expect(terms.total).toBeCloseTo(terms.recon + terms.kl, 3);
    for (const g of Object.values(grads)) g.dispose();
    model.dispose();
  });

  it('costs a few thousand multiply-adds per pixel', () => {
    expect(macsPerPixel(DEFAULT_DENOISER)).toBeGreaterThan(2000);
    expect(macsPerPixel(DEFAULT_DENOISER)).toBeLessThan(10_000);
  });
});

describe.skipIf(!pretrainedDenoiser(DEFAULT_DENOISER))('the shipped pretrained denoiser', () => {
  const load = () => {
    const model = DenoiserModel.create(DEFAULT_DENOISER, 0);
    model.load(pretrainedDenoiser(DEFAULT_DENOISER)!.weights);
    return model;
  };

  it('removes noise, through its latent: decoding z = 0 instead is much worse', () => {
    const model = load();
    const clean = syntheticPhoto(96, 64, 3);
    const noisy = addNoise(clean, 25 / 255);
    const denoised = psnr(model.denoise(noisy, 96, 64), clean);
    const zero = psnr(model.denoise(noisy, 96, 64, { zeroLatent: true }), clean);
    expect(denoised).toBeGreaterThan(psnr(noisy, clean) + 4);
    expect(denoised).toBeGreaterThan(zero + 4);
    model.dispose();
  });

  it('reports a real KL: its posterior carries information (KL well above 0)', () => {
    const model = load();
    const e = model.evaluate(batchOf(model, 2, 32, 9));
    expect(e.kl / 2).toBeGreaterThan(100);
    model.dispose();
  });
});
