// The fitted prior: EM recovers a known mixture; samples follow the fit and repeat for a seed.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { Rng } from '../rng';
import { fitGaussianMixture, sampleGaussianMixture } from './gmm';
import { cholesky, invertLower } from './linalg';

beforeAll(async () => {
  await initBackend('cpu');
});

/** n points from ½N((−4, 0), diag(1, 0.25)) + ½N((4, 2), [[1, 0.8], [0.8, 1]]). */
function twoBlobs(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const [a, b] = [rng.normal(), rng.normal()];
    if (i % 2 === 0) x.set([-4 + a, 0.5 * b], i * 2);
    else x.set([4 + a, 2 + 0.8 * a + 0.6 * b], i * 2);
  }
  return x;
}

describe('linear algebra', () => {
  it('factors and inverts', () => {
    const a = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const l = cholesky(a, 3);
    const inv = invertLower(l, 3);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let llt = 0;
        let eye = 0;
        for (let k = 0; k < 3; k++) {
          llt += l[i * 3 + k] * l[j * 3 + k];
          eye += inv[i * 3 + k] * l[k * 3 + j];
        }
        expect(llt).toBeCloseTo(a[i * 3 + j], 10);
        expect(eye).toBeCloseTo(i === j ? 1 : 0, 10);
      }
    }
    expect(() => cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toThrow(/positive definite/);
  });
});

describe('Gaussian mixture prior', () => {
  it('recovers two correlated blobs', () => {
    const g = fitGaussianMixture(twoBlobs(2000, 1), 2000, 2, { components: 2, seed: 3 });
    const order = g.means[0] < g.means[2] ? [0, 1] : [1, 0];
    const [left, right] = order;
    expect(g.weights[left]).toBeCloseTo(0.5, 1);
    expect(g.means[left * 2]).toBeCloseTo(-4, 0);
    expect(g.means[right * 2 + 1]).toBeCloseTo(2, 0);
    // The right blob's covariance [[1, .8], [.8, 1]]: L = [[1, 0], [.8, .6]].
    const l = g.chol.subarray(right * 4, right * 4 + 4);
    expect(l[0]).toBeCloseTo(1, 1);
    expect(l[2]).toBeCloseTo(0.8, 1);
    expect(l[3]).toBeCloseTo(0.6, 1);
  });

  it('samples follow the fit, repeat for a seed, and narrow with temperature', () => {
    const g = fitGaussianMixture(twoBlobs(2000, 2), 2000, 2, { components: 2, seed: 1 });
    const a = sampleGaussianMixture(g, 4000, 7);
    expect(sampleGaussianMixture(g, 4000, 7)).toEqual(a);
    expect(sampleGaussianMixture(g, 4000, 8)).not.toEqual(a);
    const nearData = (z: Float32Array) => {
      let hits = 0;
      for (let i = 0; i < z.length / 2; i++) if (Math.abs(Math.abs(z[i * 2]) - 4) < 2.5) hits++;
      return hits / (z.length / 2);
    };
    expect(nearData(a)).toBeGreaterThan(0.95);
    const spread = (z: Float32Array) => {
      let s = 0;
      for (let i = 0; i < z.length / 2; i++) s += (Math.abs(z[i * 2]) - 4) ** 2;
      return s / (z.length / 2);
    };
    expect(spread(sampleGaussianMixture(g, 4000, 7, 0.5))).toBeLessThan(spread(a) * 0.4);
  });

  it('fits 128-dimensional latents with ten full-covariance components', () => {
    const rng = new Rng(4);
    const n = 512;
    const x = rng.normals(n * 128);
    const g = fitGaussianMixture(x, n, 128, { components: 10, iterations: 3 });
    expect(g.k).toBe(10);
    expect(g.chol.every(Number.isFinite)).toBe(true);
    expect(g.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
