// The mixture fit's heavy products give the same numbers on ONNX Runtime (what the product uses when the engine
// runs there) as on TF.js, across chunks of components and a padded last chunk; and the fit agrees on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { setOnnxInference } from '../onnx/vae-inference';
import { Rng } from '../rng';
import { emKernels } from './em-kernels';
import { fitGaussianMixture } from './gmm';

beforeAll(async () => {
  await initBackend('onnx');
});
afterAll(() => setOnnxInference(true));

const relativeDiff = (a: Float32Array, b: Float32Array) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
};

function kernelsOn(onnx: boolean, x: Float32Array, n: number, d: number, k: number) {
  setOnnxInference(onnx);
  return emKernels(x, n, d, k);
}

describe('EM kernels', () => {
  it('match between ONNX Runtime and TF.js', () => {
    const [n, d, k] = [20000, 64, 7];
    const rng = new Rng(5);
    const x = rng.normals(n * d);
    const means = Float64Array.from(rng.normals(k * d));
    const inverseT = Array.from({ length: k }, () => rng.normals(d * d, 0.3));
    const resp = Float32Array.from({ length: n * k }, () => rng.next());
    const onnx = kernelsOn(true, x, n, d, k);
    const tfjs = kernelsOn(false, x, n, d, k);
    // ~32 MB per call: 6 components of 20,000 × 64, then a padded chunk of one; never more than there are.
    expect(onnx.chunk).toBe(6);
    const few = kernelsOn(true, x, 100, d, 3);
    expect(few.chunk).toBe(3);
    few.dispose();
    for (let c0 = 0; c0 < k; c0 += onnx.chunk) {
      const c1 = Math.min(k, c0 + onnx.chunk);
      const ref = { maha: [] as number[], scatter: [] as number[] };
      for (let c = c0; c < c1; c++) {
        ref.maha.push(...tfjs.mahalanobis(means, inverseT, c, c + 1));
        ref.scatter.push(...tfjs.scatter(means, resp, k, c, c + 1));
      }
      expect(relativeDiff(onnx.mahalanobis(means, inverseT, c0, c1), Float32Array.from(ref.maha))).toBeLessThan(1e-5);
      expect(relativeDiff(onnx.scatter(means, resp, k, c0, c1), Float32Array.from(ref.scatter))).toBeLessThan(1e-5);
    }
    onnx.dispose();
    tfjs.dispose();
  });

  it('fit the same mixture either way', () => {
    const [n, d] = [1200, 16];
    const rng = new Rng(9);
    // Three well separated clusters.
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = (i % 3) * 6 * (j === i % d ? 1 : 0.2) + rng.normal();
    setOnnxInference(true);
    const a = fitGaussianMixture(x, n, d, { components: 3, iterations: 8, seed: 2 });
    setOnnxInference(false);
    const b = fitGaussianMixture(x, n, d, { components: 3, iterations: 8, seed: 2 });
    expect(relativeDiff(a.means, b.means)).toBeLessThan(1e-3);
    expect(relativeDiff(a.weights, b.weights)).toBeLessThan(1e-3);
    expect(relativeDiff(a.chol, b.chol)).toBeLessThan(1e-3);
  });
});
