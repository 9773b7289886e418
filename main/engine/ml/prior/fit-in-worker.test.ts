// The sampling prior fitted on its own thread: the same mixture as a fit on the engine's thread, while that thread
// keeps answering (a timer keeps firing through the fit, as the app's requests would be served).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { Rng } from '../rng';
import { fitGaussianMixtureAsync } from './fit-in-worker';
import { fitGaussianMixture } from './gmm';

beforeAll(async () => {
  await initBackend('onnx');
});

function clusters(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const centres = Array.from({ length: 8 }, () => rng.normals(d, 3));
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % 8];
    for (let j = 0; j < d; j++) x[i * d + j] = c[j] + rng.normal();
  }
  return x;
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('the prior fitted on a thread of its own', () => {
  it('is the mixture a fit on the calling thread gives, and the calling thread keeps answering meanwhile', async () => {
    const [n, d] = [1536, 48];
    const x = clusters(n, d, 3);
    const opts = { components: 40, iterations: 6, seed: 5 };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    const off = await fitGaussianMixtureAsync(x, n, d, opts);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    const here = fitGaussianMixture(x, n, d, { ...opts, onnx: true });
    expect(off.k).toBe(here.k);
    for (const key of ['weights', 'means', 'chol'] as const) expect(maxDiff(off[key], here[key]), key).toBeLessThan(1e-6);
    console.log(`fit on its own thread: ${elapsed.toFixed(0)} ms, the calling thread's 10-ms timer fired ${ticks} times`);
    // Blocked, the timer would fire at most once; answering, it fires for most of the fit.
    expect(ticks).toBeGreaterThan(Math.max(5, (elapsed / 10) * 0.3));
  }, 60_000);
});
