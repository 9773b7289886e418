// KID's estimator: unbiased (centred on zero, sometimes negative, for one distribution), clearly positive for two.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../main/engine/ml/rng';
import { featureMatrix, type FeatureMatrix } from './feature-matrix';
import { kernelInceptionDistance, mmdSquaredUnbiased, polynomialKernel } from './kernel-distance';

function gaussianRows(rng: Rng, n: number, d: number, mean = 0): FeatureMatrix {
  return featureMatrix(Array.from({ length: n }, () => Array.from({ length: d }, () => mean + rng.normal())));
}

describe('polynomialKernel', () => {
  it('is (xᵀy/d + 1)³', () => {
    expect(polynomialKernel(Float64Array.from([1, 2]), Float64Array.from([3, 4]))).toBeCloseTo((11 / 2 + 1) ** 3, 12);
  });
});

describe('mmdSquaredUnbiased', () => {
  it('averages to zero over pairs of sets from one distribution, and is negative for some of them', () => {
    const rng = new Rng(11);
    const values = Array.from({ length: 200 }, () => mmdSquaredUnbiased(gaussianRows(rng, 20, 5), gaussianRows(rng, 20, 5)));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(values.some((v) => v < 0)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan((3 * std) / Math.sqrt(values.length));
  });

  it('is clearly positive for sets from different distributions', () => {
    const rng = new Rng(12);
    expect(mmdSquaredUnbiased(gaussianRows(rng, 50, 5), gaussianRows(rng, 50, 5, 1))).toBeGreaterThan(0.5);
  });
});

describe('kernelInceptionDistance', () => {
  it('orders a near set before a far one', () => {
    const rng = new Rng(13);
    const real = gaussianRows(rng, 120, 6);
    const near = gaussianRows(rng, 120, 6, 0.1);
    const far = gaussianRows(rng, 120, 6, 1);
    expect(kernelInceptionDistance(real, near, { subsetSize: 100 }).mean).toBeLessThan(kernelInceptionDistance(real, far, { subsetSize: 100 }).mean);
  });
});
