// Classifier two-sample test: can a simple classifier tell generated images from real ones by their features?
// L2-regularised logistic regression trained on half of each set and scored on the other half; a held-out
// accuracy of 0.5 means the two sets are indistinguishable to it, 1.0 means every image gives itself away.
import { Rng } from '../../main/engine/ml/rng';
import { pickRows, row, type FeatureMatrix } from './feature-matrix';

export interface TwoSampleResult {
  accuracy: number;
  testImages: number;
}

export function classifierTwoSampleTest(
  real: FeatureMatrix,
  generated: FeatureMatrix,
  { seed = 0, l2 = 1e-2, iterations = 300, learningRate = 0.1 }: { seed?: number; l2?: number; iterations?: number; learningRate?: number } = {},
): TwoSampleResult {
  const rng = new Rng(seed);
  // Equal class sizes, so 0.5 is what chance gives.
  const n = Math.min(real.n, generated.n);
  const half = Math.floor(n / 2);
  if (half < 2) throw new Error('classifierTwoSampleTest: needs at least four images in each set');
  const realOrder = rng.permutation(real.n);
  const genOrder = rng.permutation(generated.n);
  const train = stack(pickRows(real, realOrder.subarray(0, half)), pickRows(generated, genOrder.subarray(0, half)));
  const test = stack(pickRows(real, realOrder.subarray(half, n)), pickRows(generated, genOrder.subarray(half, n)));
  const { mean, scale } = standardisation(train.x);
  standardise(train.x, mean, scale);
  standardise(test.x, mean, scale);
  const weights = fitLogistic(train.x, train.y, { l2, iterations, learningRate });
  let correct = 0;
  for (let i = 0; i < test.x.n; i++) if (predict(weights, row(test.x, i)) > 0.5 === (test.y[i] === 1)) correct++;
  return { accuracy: correct / test.x.n, testImages: test.x.n };
}

/** Real rows labelled 0, generated rows labelled 1. */
function stack(real: FeatureMatrix, generated: FeatureMatrix): { x: FeatureMatrix; y: Uint8Array } {
  const data = new Float64Array((real.n + generated.n) * real.d);
  data.set(real.data);
  data.set(generated.data, real.data.length);
  const y = new Uint8Array(real.n + generated.n);
  y.fill(1, real.n);
  return { x: { n: real.n + generated.n, d: real.d, data }, y };
}

function standardisation(x: FeatureMatrix): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(x.d);
  const scale = new Float64Array(x.d);
  for (let i = 0; i < x.n; i++) for (let j = 0; j < x.d; j++) mean[j] += x.data[i * x.d + j] / x.n;
  for (let i = 0; i < x.n; i++) for (let j = 0; j < x.d; j++) scale[j] += (x.data[i * x.d + j] - mean[j]) ** 2 / x.n;
  for (let j = 0; j < x.d; j++) scale[j] = 1 / Math.max(Math.sqrt(scale[j]), 1e-8);
  return { mean, scale };
}

function standardise(x: FeatureMatrix, mean: Float64Array, scale: Float64Array): void {
  for (let i = 0; i < x.n; i++) for (let j = 0; j < x.d; j++) x.data[i * x.d + j] = (x.data[i * x.d + j] - mean[j]) * scale[j];
}

/** Weights then bias (last entry), by full-batch gradient descent on the mean log-loss plus l2/2·‖w‖². */
function fitLogistic(x: FeatureMatrix, y: Uint8Array, { l2, iterations, learningRate }: { l2: number; iterations: number; learningRate: number }): Float64Array {
  const w = new Float64Array(x.d + 1);
  const grad = new Float64Array(x.d + 1);
  for (let it = 0; it < iterations; it++) {
    grad.fill(0);
    for (let i = 0; i < x.n; i++) {
      const xi = row(x, i);
      const error = predict(w, xi) - y[i];
      for (let j = 0; j < x.d; j++) grad[j] += error * xi[j];
      grad[x.d] += error;
    }
    for (let j = 0; j <= x.d; j++) {
      const penalty = j < x.d ? l2 * w[j] : 0;
      w[j] -= learningRate * (grad[j] / x.n + penalty);
    }
  }
  return w;
}

function predict(w: Float64Array, xi: Float64Array): number {
  let z = w[xi.length];
  for (let j = 0; j < xi.length; j++) z += w[j] * xi[j];
  return 1 / (1 + Math.exp(-z));
}
