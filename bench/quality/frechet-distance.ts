// FID: the Fréchet distance between Gaussians fitted to two sets of pretrained-network features,
//   ‖μa − μb‖² + tr Σa + tr Σb − 2 tr (Σa^½ Σb Σa^½)^½,
// with the matrix square roots taken by eigen-decomposition. When there are fewer images than features (the
// usual case here: a few hundred images, 1,280 features) the covariances are low-rank and the cross term is
// computed exactly from the n×n Gram matrix instead: with Σa = AᵀA and Σb = BᵀB, the non-zero eigenvalues of
// Σa^½ Σb Σa^½ are those of (A Bᵀ)(A Bᵀ)ᵀ, so the trace of its square root is the sum of the singular values of A Bᵀ.
import { centredScaled, columnMeans, type FeatureMatrix } from './feature-matrix';
import { sqrtmSymmetric, symmetricEigen, type SquareMatrix } from './symmetric-eigen';

export type CrossTermMethod = 'auto' | 'covariance' | 'gram';

export function frechetDistance(a: FeatureMatrix, b: FeatureMatrix, method: CrossTermMethod = 'auto'): number {
  if (a.d !== b.d) throw new Error(`frechetDistance: ${a.d} features against ${b.d}`);
  const meanA = columnMeans(a);
  const meanB = columnMeans(b);
  let meanTerm = 0;
  for (let j = 0; j < a.d; j++) meanTerm += (meanA[j] - meanB[j]) ** 2;
  const A = centredScaled(a);
  const B = centredScaled(b);
  const traceA = sumOfSquares(A.data);
  const traceB = sumOfSquares(B.data);
  const useGram = method === 'gram' || (method === 'auto' && Math.min(a.n, b.n) < a.d);
  const cross = useGram ? crossTermFromGram(A, B) : crossTermFromCovariances(covariance(A), covariance(B));
  return Math.max(0, meanTerm + traceA + traceB - 2 * cross);
}

/** The Fréchet distance between N(μa, Σa) and N(μb, Σb) given directly (the closed form FID is built on). */
export function gaussianFrechetDistance(meanA: ArrayLike<number>, covA: SquareMatrix, meanB: ArrayLike<number>, covB: SquareMatrix): number {
  let meanTerm = 0;
  for (let j = 0; j < covA.n; j++) meanTerm += (meanA[j] - meanB[j]) ** 2;
  return meanTerm + trace(covA) + trace(covB) - 2 * crossTermFromCovariances(covA, covB);
}

/** tr (Σa^½ Σb Σa^½)^½ from the d×d covariances. */
function crossTermFromCovariances(covA: SquareMatrix, covB: SquareMatrix): number {
  const rootA = sqrtmSymmetric(covA);
  const inner = multiply(multiply(rootA, covB), rootA);
  symmetrise(inner);
  return sumOfRoots(symmetricEigen(inner).values);
}

/** The same trace from the centred, scaled rows: the sum of the singular values of A·Bᵀ. */
function crossTermFromGram(A: FeatureMatrix, B: FeatureMatrix): number {
  const [small, large] = A.n <= B.n ? [A, B] : [B, A];
  const ab = new Float64Array(small.n * large.n);
  for (let i = 0; i < small.n; i++) {
    for (let k = 0; k < large.n; k++) ab[i * large.n + k] = dot(small.data, i * small.d, large.data, k * large.d, small.d);
  }
  // (A Bᵀ)(A Bᵀ)ᵀ: small.n × small.n, symmetric positive semi-definite.
  const n = small.n;
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = dot(ab, i * large.n, ab, j * large.n, large.n);
      gram[i * n + j] = v;
      gram[j * n + i] = v;
    }
  }
  return sumOfRoots(symmetricEigen({ n, data: gram }).values);
}

function covariance(A: FeatureMatrix): SquareMatrix {
  const d = A.d;
  const data = new Float64Array(d * d);
  for (let i = 0; i < A.n; i++) {
    const offset = i * d;
    for (let p = 0; p < d; p++) {
      const v = A.data[offset + p];
      if (v === 0) continue;
      for (let q = p; q < d; q++) data[p * d + q] += v * A.data[offset + q];
    }
  }
  for (let p = 0; p < d; p++) for (let q = 0; q < p; q++) data[p * d + q] = data[q * d + p];
  return { n: d, data };
}

function multiply(x: SquareMatrix, y: SquareMatrix): SquareMatrix {
  const n = x.n;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const v = x.data[i * n + k];
      if (v === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += v * y.data[k * n + j];
    }
  }
  return { n, data: out };
}

function symmetrise(m: SquareMatrix): void {
  for (let i = 0; i < m.n; i++) {
    for (let j = 0; j < i; j++) {
      const v = (m.data[i * m.n + j] + m.data[j * m.n + i]) / 2;
      m.data[i * m.n + j] = v;
      m.data[j * m.n + i] = v;
    }
  }
}

/**
 * Σ√λ over the eigenvalues of a positive semi-definite matrix. Eigenvalues below 1e-12 of the largest are
 * rounding noise on a zero (the Gram form is low-rank by construction) and the root would magnify them.
 */
function sumOfRoots(values: Float64Array): number {
  const floor = 1e-12 * values.reduce((m, v) => Math.max(m, v), 0);
  return values.reduce((sum, v) => sum + (v > floor ? Math.sqrt(v) : 0), 0);
}
const sumOfSquares = (values: Float64Array) => values.reduce((sum, v) => sum + v * v, 0);
const trace = (m: SquareMatrix) => Array.from({ length: m.n }, (_, i) => m.data[i * m.n + i]).reduce((s, v) => s + v, 0);

function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, length: number): number {
  let sum = 0;
  for (let k = 0; k < length; k++) sum += x[xo + k] * y[yo + k];
  return sum;
}
