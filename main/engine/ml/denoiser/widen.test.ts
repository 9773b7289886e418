// Growing the fast denoiser into a larger architecture keeps what it does: the grown network denoises a photo as
// the fast one does and has the same training loss, before any training (how the shipped best network started).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { Rng } from '../rng';
import { BEST_DENOISER, DEFAULT_DENOISER } from './architecture';
import { DenoiserModel } from './model';
import { pretrainedDenoiser } from './pretrained';
import { addNoise, syntheticPhoto } from './test-support/images';
import { widenDenoiser } from './widen';

const models: DenoiserModel[] = [];
beforeAll(async () => {
  await initBackend('cpu');
});
afterAll(() => models.forEach((m) => m.dispose()));

function load(config: typeof DEFAULT_DENOISER, weights: Uint8Array): DenoiserModel {
  const m = DenoiserModel.create(config, 0);
  m.load(weights);
  models.push(m);
  return m;
}

describe('widening a denoiser', () => {
  const fastWeights = () => pretrainedDenoiser(DEFAULT_DENOISER)!.weights;

  for (const big of [BEST_DENOISER, { width: 64, latent: 16, encoderLayers: 1, decoderLayers: 2 }]) {
    it(`to ${JSON.stringify(big)} denoises as the small network does, with the same loss`, () => {
      const fast = load(DEFAULT_DENOISER, fastWeights());
      const grown = load(big, widenDenoiser(fastWeights(), DEFAULT_DENOISER, big));
      const [w, h] = [40, 32];
      const noisy = addNoise(syntheticPhoto(w, h, 3), 25 / 255, 4);
      const a = fast.denoise(noisy, w, h);
      const b = grown.denoise(noisy, w, h);
      expect(a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)).toBeLessThan(1e-5);

      const rng = new Rng(9);
      const side = 16;
      const clean = new Float32Array(2 * side * side * 3).map(() => rng.next() * 2 - 1);
      const noisyPatch = clean.map((v) => Math.max(-1, Math.min(1, v + 0.2 * rng.normal())));
      const loss = (m: DenoiserModel) => m.evaluate(DenoiserModel.batch(clean, noisyPatch, new Float32Array(2 * m.latentSize(side)), 2));
      const [lf, lg] = [loss(fast), loss(grown)];
      expect(Math.abs(lg.recon - lf.recon) / lf.recon).toBeLessThan(1e-5);
      expect(Math.abs(lg.kl - lf.kl) / lf.kl).toBeLessThan(1e-5);
    });
  }

  it('refuses a target less than twice as wide', () => {
    expect(() => widenDenoiser(fastWeights(), DEFAULT_DENOISER, { ...BEST_DENOISER, width: 48 })).toThrow('at least twice the width (64)');
  });
});
