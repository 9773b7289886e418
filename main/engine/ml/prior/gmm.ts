// A Gaussian mixture with full covariances fitted to the aggregate posterior (the training images' posterior
// means): samples from it land where the decoder has learned to draw, unlike N(0, I), which for a VAE trained a
// few minutes puts much of its mass in holes between the data. Fitted by EM with k-means++ starts; the heavy
// products run in ./em-kernels.ts (ONNX Runtime, else TF.js), the D × D factorisations in JavaScript.
import { Rng } from '../rng';
import { emKernels } from './em-kernels';
import { cholesky, invertLower } from './linalg';
import { type LatentSubspace, liftToLatent } from './subspace';

export interface GaussianMixture {
  /** Components K, dimensions D. */
  k: number;
  d: number;
  /** Mixing weights [K]. */
  weights: Float32Array;
  /** Means [K × D]. */
  means: Float32Array;
  /** Lower Cholesky factors of the covariances [K × D × D]. */
  chol: Float32Array;
  /** For a latent wider than D: the principal directions the mixture lives in (./subspace.ts). */
  subspace?: LatentSubspace;
}

export interface FitOptions {
  components?: number;
  iterations?: number;
  seed?: number;
  /** Added to each covariance's diagonal, relative to the data's mean variance (keeps it well conditioned). */
  regularization?: number;
  /** The heavy products on ONNX Runtime (default: where the engine's inference runs). */
  onnx?: boolean;
}

const LOG_2PI = Math.log(2 * Math.PI);

function kMeansPlusPlus(x: Float32Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centres = new Float64Array(k * d);
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) centres[c * d + j] = x[pick * d + j];
    let total = 0;
    for (let i = 0; i < n; i++) {
      let dist = 0;
      for (let j = 0; j < d; j++) dist += (x[i * d + j] - centres[c * d + j]) ** 2;
      nearest[i] = Math.min(nearest[i], dist);
      total += nearest[i];
    }
    let r = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= nearest[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
  }
  return centres;
}

/** A d × d row-major matrix transposed, as float32 (what the kernels multiply by). */
function transposed(a: Float64Array, d: number): Float32Array {
  const t = new Float32Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) t[j * d + i] = a[i * d + j];
  return t;
}

/** Fits a K-component mixture to n points of dimension d (x: n × d). */
export function fitGaussianMixture(x: Float32Array, n: number, d: number, opts: FitOptions = {}): GaussianMixture {
  const k = Math.max(1, Math.min(opts.components ?? 10, Math.floor(n / 4) || 1));
  const iterations = opts.iterations ?? 25;
  const rng = new Rng(opts.seed ?? 1);
  let meanVar = 0;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) meanVar += (x[i * d + j] - mean[j]) ** 2 / (n * d);
  const reg = (opts.regularization ?? 1e-3) * Math.max(meanVar, 1e-6);

  const means = kMeansPlusPlus(x, n, d, k, rng);
  const weights = new Float64Array(k).fill(1 / k);
  let chol: Float64Array[] = Array.from({ length: k }, () => {
    const c = new Float64Array(d * d);
    for (let j = 0; j < d; j++) c[j * d + j] = Math.sqrt(meanVar + reg);
    return c;
  });
  const kernels = emKernels(x, n, d, k, opts.onnx);
  try {
    for (let it = 0; it < iterations; it++) {
      // E-step: log N(x | μ_k, Σ_k) = −½‖L_k⁻¹(x − μ_k)‖² − Σ log diag(L_k) − (D/2) log 2π.
      const logp = new Float64Array(n * k);
      const inverseT = chol.map((l) => transposed(invertLower(l, d), d));
      for (let c0 = 0; c0 < k; c0 += kernels.chunk) {
        const c1 = Math.min(k, c0 + kernels.chunk);
        const maha = kernels.mahalanobis(means, inverseT, c0, c1);
        for (let c = c0; c < c1; c++) {
          let logDet = 0;
          for (let j = 0; j < d; j++) logDet += Math.log(chol[c][j * d + j]);
          const offset = Math.log(weights[c]) - logDet - 0.5 * d * LOG_2PI;
          for (let i = 0; i < n; i++) logp[i * k + c] = offset - 0.5 * maha[(c - c0) * n + i];
        }
      }
      const resp = new Float32Array(n * k);
      for (let i = 0; i < n; i++) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, logp[i * k + c]);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += Math.exp(logp[i * k + c] - max);
        for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(logp[i * k + c] - max) / sum;
      }
      // M-step: weights, means and covariances from the responsibilities.
      const nk = new Float64Array(k);
      const mu = new Float64Array(k * d);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < k; c++) {
          const r = resp[i * k + c];
          nk[c] += r;
          for (let j = 0; j < d; j++) mu[c * d + j] += r * x[i * d + j];
        }
      }
      for (let c = 0; c < k; c++) {
        const count = Math.max(nk[c], 1e-6);
        weights[c] = count / n;
        for (let j = 0; j < d; j++) means[c * d + j] = mu[c * d + j] / count;
      }
      const next: Float64Array[] = [];
      for (let c0 = 0; c0 < k; c0 += kernels.chunk) {
        const c1 = Math.min(k, c0 + kernels.chunk);
        const scatter = kernels.scatter(means, resp, k, c0, c1);
        for (let c = c0; c < c1; c++) {
          const count = Math.max(nk[c], 1e-6);
          const a = new Float64Array(d * d);
          for (let j = 0; j < d * d; j++) a[j] = scatter[(c - c0) * d * d + j] / count;
          for (let j = 0; j < d; j++) a[j * d + j] += reg;
          next.push(cholesky(a, d));
        }
      }
      chol = next;
    }
  } finally {
    kernels.dispose();
  }
  const flat = new Float32Array(k * d * d);
  chol.forEach((c, i) => flat.set(c, i * d * d));
  return { k, d, weights: Float32Array.from(weights), means: Float32Array.from(means), chol: flat };
}

/**
 * `count` latents from the mixture, reproducible from the seed: a component by weight, then μ + T·L·ε (and, with
 * a subspace, those coordinates lifted to the whole latent). Temperature T scales each draw's spread around its
 * component's mean.
 */
export function sampleGaussianMixture(g: GaussianMixture, count: number, seed: number, temperature = 1): Float32Array {
  const rng = new Rng(seed);
  const { k, d } = g;
  const out = new Float32Array(count * d);
  for (let s = 0; s < count; s++) {
    let u = rng.next();
    let c = k - 1;
    for (let i = 0; i < k; i++) {
      u -= g.weights[i];
      if (u <= 0) {
        c = i;
        break;
      }
    }
    const eps = rng.normals(d, temperature);
    const base = c * d * d;
    for (let i = 0; i < d; i++) {
      let v = g.means[c * d + i];
      for (let j = 0; j <= i; j++) v += g.chol[base + i * d + j] * eps[j];
      out[s * d + i] = v;
    }
  }
  return g.subspace ? liftToLatent(g.subspace, out, count, rng, temperature) : out;
}
