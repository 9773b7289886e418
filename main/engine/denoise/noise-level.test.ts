// The per-photo noise estimate: within a stated tolerance of the true σ on photo-like images with synthetic
// noise, not fooled by texture, by clipping near black, or by a photo too small to read.
import { describe, expect, it } from 'vitest';
import { addNoise, syntheticPhoto } from '../ml/denoiser/test-support/images';
import { Rng } from '../ml/rng';
import { estimateNoise } from './noise-level';

const W = 256;
const H = 192;
/** What a user can rely on: within 10% + 1 level of the true σ (0..255) on these images. */
const tolerance = (sigma: number) => 0.1 * sigma + 1;
/** An 8-bit file's values: clipped and rounded. */
const eightBit = (rgb: Float32Array) => rgb.map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255) / 255);

describe('estimateNoise', () => {
  it.each([5, 10, 15, 25, 35, 50])('reads Gaussian noise of σ = %d on 0..255 within 10% + 1', (sigma) => {
    for (const seed of [1, 2, 3]) {
      const noisy = eightBit(addNoise(syntheticPhoto(W, H, seed), sigma / 255, 10 + seed));
      const { sigma: estimate, patches } = estimateNoise(noisy, W, H);
      expect(Math.abs(estimate - sigma)).toBeLessThanOrEqual(tolerance(sigma));
      expect(patches).toBeGreaterThan(20);
    }
  });

  it('reads a clean photo as (nearly) noiseless', () => {
    expect(estimateNoise(eightBit(syntheticPhoto(W, H, 4)), W, H).sigma).toBeLessThan(1);
  });

  it('is not fooled by fine texture over most of the photo: it reads the quiet patches', () => {
    // Three quarters of the photo a fine random texture (σ 40 at the pixel scale), one quarter smooth.
    const rng = new Rng(5);
    const clean = syntheticPhoto(W, H, 5);
    for (let y = 0; y < H; y++) for (let x = 0; x < (W * 3) / 4; x++) {
      const t = 0.16 * rng.normal();
      for (let c = 0; c < 3; c++) clean[(y * W + x) * 3 + c] = 0.5 + t;
    }
    const estimate = estimateNoise(eightBit(addNoise(clean, 10 / 255, 6)), W, H).sigma;
    expect(Math.abs(estimate - 10)).toBeLessThanOrEqual(tolerance(10));
  });

  it('leaves out patches near black, where clipping hides part of the noise', () => {
    const clean = syntheticPhoto(W, H, 7);
    for (let i = 0; i < (clean.length * 2) / 3; i++) clean[i] = 0.02; // the top two thirds nearly black
    const estimate = estimateNoise(eightBit(addNoise(clean, 30 / 255, 8)), W, H).sigma;
    expect(Math.abs(estimate - 30)).toBeLessThanOrEqual(tolerance(30));
  });

  it('says nothing about a photo smaller than one patch, and refuses a buffer of the wrong size', () => {
    expect(estimateNoise(new Float32Array(8 * 8 * 3), 8, 8)).toEqual({ sigma: 0, patches: 0 });
    expect(() => estimateNoise(new Float32Array(10), 4, 4)).toThrow(/Expected 4×4×3 values, got 10/);
  });
});
