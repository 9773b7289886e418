import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng';
import { symmetricEigen } from './eigen';
import { dot, JACOBI_LIMIT, pca } from './pca';

/** A random orthonormal basis of R^d (Gram–Schmidt of Gaussian vectors). */
function randomBasis(d: number, seed: number): Float64Array[] {
  const rng = new Rng(seed);
  const basis: Float64Array[] = [];
  while (basis.length < d) {
    const v = Float64Array.from({ length: d }, () => rng.normal());
    for (const u of basis) {
      const p = dot(u, v);
      for (let j = 0; j < d; j++) v[j] -= p * u[j];
    }
    const norm = Math.sqrt(dot(v, v));
    basis.push(v.map((x) => x / norm));
  }
  return basis;
}

/** |cos| of the angle between two unit vectors: 1 when they span the same line. */
const alignment = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.abs(dot(a, b));

describe('symmetricEigen (Jacobi)', () => {
  it('recovers the eigenvalues and eigenvectors of Q·diag(λ)·Qᵀ', () => {
    const d = 12;
    const q = randomBasis(d, 1);
    const lambda = [9, 7.5, 6, 5, 4, 3.5, 3, 2, 1, 0.5, 0.25, -1];
    const matrix = new Float64Array(d * d);
    q.forEach((v, k) => {
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) matrix[i * d + j] += lambda[k] * v[i] * v[j];
    });
    const { values, vectors } = symmetricEigen(matrix, d);
    values.forEach((value, k) => expect(value).toBeCloseTo(lambda[k], 10));
    vectors.forEach((vector, k) => expect(alignment(vector, q[k])).toBeCloseTo(1, 10));
    vectors.forEach((vector) => expect(Math.max(...vector.map(Math.abs))).toBe(Math.max(...vector)));
  });

  it('leaves a diagonal matrix as it is, sorted', () => {
    const { values, vectors } = symmetricEigen([1, 0, 0, 0, 3, 0, 0, 0, 2], 3);
    expect(values).toEqual([3, 2, 1]);
    expect(vectors.map((v) => [...v])).toEqual([[0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  });
});

/**
 * Data with an exactly known sample covariance: the points mean ± s_k·q_k for each k. Their mean is `mean`
 * and their covariance is Σ 2·s_k²·q_k·q_kᵀ / (n − 1), so the principal directions are the q_k.
 */
function dataWithKnownCovariance(d: number, spreads: number[], seed: number) {
  const q = randomBasis(d, seed);
  const mean = Array.from({ length: d }, (_, j) => j / d - 0.5);
  const rows: number[] = [];
  spreads.forEach((s, k) => {
    for (const sign of [1, -1]) for (let j = 0; j < d; j++) rows.push(mean[j] + sign * s * q[k][j]);
  });
  const n = 2 * spreads.length;
  return { rows: Float32Array.from(rows), n, q, mean, variances: spreads.map((s) => (2 * s * s) / (n - 1)) };
}

describe('pca', () => {
  it('finds the mean, the top 8 directions and the variance along each (Jacobi path)', () => {
    const d = 16;
    const spreads = Array.from({ length: d }, (_, k) => 16 - k);
    const data = dataWithKnownCovariance(d, spreads, 2);
    const result = pca(data.rows, data.n, d, 8);
    expect(result.components).toHaveLength(8);
    result.mean.forEach((m, j) => expect(m).toBeCloseTo(data.mean[j], 5));
    result.components.forEach((c, k) => {
      expect(alignment(c, data.q[k])).toBeCloseTo(1, 5);
      expect(result.variances[k] / data.variances[k]).toBeCloseTo(1, 4);
    });
  });

  it('finds the same on latents larger than the Jacobi limit, without forming the covariance', () => {
    const d = JACOBI_LIMIT + 44;
    const spreads = Array.from({ length: d }, (_, k) => (k < 8 ? 20 - k : 1 / (1 + k)));
    const data = dataWithKnownCovariance(d, spreads, 3);
    const result = pca(data.rows, data.n, d, 8);
    result.components.forEach((c, k) => {
      expect(alignment(c, data.q[k])).toBeCloseTo(1, 4);
      expect(result.variances[k] / data.variances[k]).toBeCloseTo(1, 3);
    });
  });

  it('gives orthonormal axes and zero spread for a single point', () => {
    const result = pca([1, 2, 3], 1, 3);
    expect(result.components).toHaveLength(3);
    expect(result.variances).toEqual([0, 0, 0]);
    expect([...result.mean]).toEqual([1, 2, 3]);
    for (const a of result.components) for (const b of result.components) expect(dot(a, b)).toBeCloseTo(a === b ? 1 : 0, 10);
  });
});
