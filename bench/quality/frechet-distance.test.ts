// FID's maths against cases with known answers: a set against itself, Gaussians in closed form, and the two
// ways of computing the cross term agreeing with each other.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../main/engine/ml/rng';
import { featureMatrix, type FeatureMatrix } from './feature-matrix';
import { frechetDistance, gaussianFrechetDistance } from './frechet-distance';

function gaussianRows(n: number, d: number, seed: number, mean = 0, scale = 1): FeatureMatrix {
  const rng = new Rng(seed);
  return featureMatrix(Array.from({ length: n }, () => Array.from({ length: d }, () => mean + scale * rng.normal())));
}

describe('frechetDistance', () => {
  it('is zero for a set against itself, with more features than images and with fewer', () => {
    const wide = gaussianRows(20, 50, 1);
    const tall = gaussianRows(200, 8, 2);
    expect(frechetDistance(wide, wide)).toBeCloseTo(0, 8);
    expect(frechetDistance(tall, tall)).toBeCloseTo(0, 8);
  });

  it('computes the same cross term from the covariances and from the Gram matrix', () => {
    const a = gaussianRows(30, 12, 3);
    const b = gaussianRows(25, 12, 4, 0.3, 1.5);
    expect(frechetDistance(a, b, 'gram')).toBeCloseTo(frechetDistance(a, b, 'covariance'), 8);
    const wideA = gaussianRows(10, 40, 5);
    const wideB = gaussianRows(14, 40, 6, 0.2, 0.7);
    expect(frechetDistance(wideA, wideB, 'gram')).toBeCloseTo(frechetDistance(wideA, wideB, 'covariance'), 6);
  });

  it('approaches the closed form for samples from two known Gaussians', () => {
    // N(0, I) against N(1, 4I) in d dimensions: d·1² + d·(1 − 2)² = 2d.
    const d = 4;
    const fid = frechetDistance(gaussianRows(20_000, d, 7), gaussianRows(20_000, d, 8, 1, 2));
    expect(fid).toBeGreaterThan(2 * d * 0.95);
    expect(fid).toBeLessThan(2 * d * 1.05);
  });
});

describe('gaussianFrechetDistance', () => {
  it('matches ‖μa − μb‖² + Σ(σa − σb)² for diagonal covariances', () => {
    const covA = { n: 3, data: Float64Array.from([1, 0, 0, 0, 4, 0, 0, 0, 9]) };
    const covB = { n: 3, data: Float64Array.from([4, 0, 0, 0, 4, 0, 0, 0, 1]) };
    // means differ by (1, 2, 0): 5; roots (1, 2, 3) against (2, 2, 1): 1 + 0 + 4.
    expect(gaussianFrechetDistance([0, 0, 0], covA, [1, 2, 0], covB)).toBeCloseTo(10, 10);
  });

  it('matches the 2×2 closed form for non-commuting covariances', () => {
    // For 2×2 SPD matrices, tr √M = √(tr M + 2√det M); here M = Σa^½ Σb Σa^½ has tr M = tr(Σa Σb), det M = det Σa · det Σb.
    const covA = { n: 2, data: Float64Array.from([2, 0.5, 0.5, 1]) };
    const covB = { n: 2, data: Float64Array.from([1, -0.3, -0.3, 3]) };
    const trAB = 2 * 1 + 0.5 * -0.3 + 0.5 * -0.3 + 1 * 3;
    const detA = 2 * 1 - 0.25;
    const detB = 3 - 0.09;
    const cross = Math.sqrt(trAB + 2 * Math.sqrt(detA * detB));
    expect(gaussianFrechetDistance([0, 0], covA, [0, 0], covB)).toBeCloseTo(3 + 4 - 2 * cross, 10);
  });
});
