// KID: the squared maximum mean discrepancy between two feature sets under the cubic polynomial kernel
// k(x, y) = (xᵀy / d + 1)³, estimated without bias (diagonal terms left out), averaged over random subsets as
// in Bińkowski et al. 2018. Unbiased means it can come out slightly below zero for sets from one distribution.
import { pickRows, row, type FeatureMatrix } from './feature-matrix';
import { Rng } from '../../main/engine/ml/rng';

export function polynomialKernel(x: Float64Array, y: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < x.length; k++) sum += x[k] * y[k];
  return (sum / x.length + 1) ** 3;
}

/** The unbiased estimate of MMD² between the rows of x and the rows of y (each set needs two rows or more). */
export function mmdSquaredUnbiased(x: FeatureMatrix, y: FeatureMatrix): number {
  if (x.n < 2 || y.n < 2) throw new Error('mmdSquaredUnbiased: each set needs at least two rows');
  const within = (s: FeatureMatrix) => {
    let sum = 0;
    for (let i = 0; i < s.n; i++) for (let j = i + 1; j < s.n; j++) sum += polynomialKernel(row(s, i), row(s, j));
    return (2 * sum) / (s.n * (s.n - 1));
  };
  let across = 0;
  for (let i = 0; i < x.n; i++) for (let j = 0; j < y.n; j++) across += polynomialKernel(row(x, i), row(y, j));
  return within(x) + within(y) - (2 * across) / (x.n * y.n);
}

export interface KernelDistance {
  mean: number;
  std: number;
  subsets: number;
  subsetSize: number;
}

/** KID averaged over `subsets` random subsets of `subsetSize` rows from each set (capped at the smaller set). */
export function kernelInceptionDistance(
  x: FeatureMatrix,
  y: FeatureMatrix,
  { subsets = 10, subsetSize = 1000, seed = 0 }: { subsets?: number; subsetSize?: number; seed?: number } = {},
): KernelDistance {
  const size = Math.min(subsetSize, x.n, y.n);
  const rng = new Rng(seed);
  const values: number[] = [];
  for (let s = 0; s < subsets; s++) {
    const xs = pickRows(x, rng.permutation(x.n).subarray(0, size));
    const ys = pickRows(y, rng.permutation(y.n).subarray(0, size));
    values.push(mmdSquaredUnbiased(xs, ys));
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean, std, subsets, subsetSize: size };
}
