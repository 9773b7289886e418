// The share of the denoised image a photo gets for its noise: none for a clean photo, half at the denoiser's own
// error level, nearly all for the noise levels it was trained on; never more with less noise.
import { describe, expect, it } from 'vitest';
import { blendForNoise, DENOISER_ERROR } from './noise-blend';

describe('blendForNoise', () => {
  it('leaves a clean photo alone and cleans a noisy one fully', () => {
    expect(blendForNoise(0)).toBe(0);
    expect(blendForNoise(DENOISER_ERROR)).toBeCloseTo(0.5);
    expect(blendForNoise(15)).toBeGreaterThan(0.9);
    expect(blendForNoise(25)).toBeGreaterThan(0.97);
    expect(blendForNoise(60)).toBeLessThan(1);
  });

  it('grows with the noise', () => {
    const sigmas = [0, 1, 2, 4, 8, 15, 25, 50, 100];
    const blends = sigmas.map(blendForNoise);
    expect(blends).toEqual([...blends].sort((a, b) => a - b));
    expect(new Set(blends).size).toBe(sigmas.length);
  });

  it('refuses a negative or missing σ', () => {
    expect(() => blendForNoise(-1)).toThrow('Noise σ must be 0 or more, got -1');
    expect(() => blendForNoise(Number.NaN)).toThrow(/got NaN/);
  });
});
