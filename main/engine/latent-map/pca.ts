// Principal components of a set of latent means: the axes of the latent map and of the sliders. Up to
// JACOBI_LIMIT dimensions (the usual 128 included) the full covariance is formed and solved exactly by Jacobi;
// above it (latents up to 4096), the covariance is never formed: a few rounds of block power iteration on the
// data find the top subspace, and Jacobi solves the small projected problem (Rayleigh–Ritz).
import { Rng } from '../ml/rng';
import { symmetricEigen, withPositiveLargest } from './eigen';

export interface Pca {
  mean: Float64Array;
  /** Unit principal directions, most variance first. */
  components: Float64Array[];
  /** Variance of the data along each component (sample variance, n − 1). */
  variances: number[];
}

export const JACOBI_LIMIT = 256;
const OVERSAMPLE = 8;
const POWER_ROUNDS = 12;

/** `rows`: n vectors of d values, one after another. Returns min(k, d) components. */
export function pca(rows: ArrayLike<number>, n: number, d: number, k = 8): Pca {
  if (n < 1 || rows.length !== n * d) throw new RangeError(`pca: expected ${n}×${d} values, got ${rows.length}`);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += rows[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const count = Math.min(k, d);
  const eigen = d <= JACOBI_LIMIT ? symmetricEigen(covariance(rows, n, d, mean), d) : topSubspace(rows, n, d, mean, count);
  return {
    mean,
    components: eigen.vectors.slice(0, count),
    variances: eigen.values.slice(0, count).map((value) => Math.max(0, value)),
  };
}

/** Sample covariance (n − 1 in the denominator; n when there is one row), d×d row-major. */
export function covariance(rows: ArrayLike<number>, n: number, d: number, mean: Float64Array): Float64Array {
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) centred[j] = rows[r * d + j] - mean[j];
    for (let i = 0; i < d; i++) {
      const ci = centred[i];
      if (ci === 0) continue;
      const base = i * d;
      for (let j = i; j < d; j++) cov[base + j] += ci * centred[j];
    }
  }
  const denominator = Math.max(1, n - 1);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) cov[i * d + j] = cov[j * d + i] = cov[i * d + j] / denominator;
  }
  return cov;
}

/** Top `k` eigenpairs of the covariance, touching the data only through products with a block of vectors. */
function topSubspace(rows: ArrayLike<number>, n: number, d: number, mean: Float64Array, k: number) {
  const b = Math.min(d, k + OVERSAMPLE);
  const rng = new Rng(0x5ca1ab1e);
  let basis = orthonormalize(Array.from({ length: b }, () => Float64Array.from({ length: d }, () => rng.normal())));
  for (let round = 0; round < POWER_ROUNDS; round++) basis = orthonormalize(applyCovariance(rows, n, d, mean, basis));
  // Rayleigh–Ritz: the covariance restricted to the subspace, solved exactly.
  const image = applyCovariance(rows, n, d, mean, basis);
  const small = new Float64Array(b * b);
  for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) small[i * b + j] = dot(basis[i], image[j]);
  for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) small[i * b + j] = small[j * b + i] = (small[i * b + j] + small[j * b + i]) / 2;
  const reduced = symmetricEigen(small, b);
  const vectors = reduced.vectors.map((coeffs) => {
    const vec = new Float64Array(d);
    coeffs.forEach((c, i) => {
      for (let j = 0; j < d; j++) vec[j] += c * basis[i][j];
    });
    return withPositiveLargest(vec);
  });
  return { values: reduced.values, vectors };
}

/** C·v for each v of the block, as Xcᵀ(Xc·v)/(n − 1) without forming Xc or C. */
function applyCovariance(rows: ArrayLike<number>, n: number, d: number, mean: Float64Array, block: Float64Array[]): Float64Array[] {
  const out = block.map(() => new Float64Array(d));
  const centred = new Float64Array(d);
  const denominator = Math.max(1, n - 1);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) centred[j] = rows[r * d + j] - mean[j];
    block.forEach((v, i) => {
      const projection = dot(centred, v) / denominator;
      const target = out[i];
      for (let j = 0; j < d; j++) target[j] += projection * centred[j];
    });
  }
  return out;
}

/** Modified Gram–Schmidt; a vector that vanishes (rank-deficient data) is replaced by a fresh direction. */
function orthonormalize(vectors: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  vectors.forEach((vector, index) => {
    const v = Float64Array.from(vector);
    for (let attempt = 0; ; attempt++) {
      for (const u of out) {
        const p = dot(u, v);
        for (let j = 0; j < v.length; j++) v[j] -= p * u[j];
      }
      const norm = Math.sqrt(dot(v, v));
      if (norm > 1e-12 || attempt > 2) {
        for (let j = 0; j < v.length; j++) v[j] /= norm || 1;
        break;
      }
      v.fill(0);
      v[(index + attempt * 7) % v.length] = 1;
    }
    out.push(v);
  });
  return out;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
