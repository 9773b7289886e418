// Inference on ONNX Runtime gives what the TF.js graphs give, and follows weight changes.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { VaeModel } from '../model';
import { Rng } from '../rng';
import { decode, encode } from '../vae';
import { onnxInferenceEnabled } from './vae-inference';

let model: VaeModel;
beforeAll(async () => {
  const report = await initBackend('auto');
  expect(report.name).toBe('onnx');
  model = VaeModel.create({ size: 32, latent: 16 }, 7);
});
afterAll(() => model.dispose());

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('ONNX inference', () => {
  it('is what VaeModel runs when the backend is onnx', () => {
    expect(onnxInferenceEnabled()).toBe(true);
  });

  it('decodes and encodes like the TF.js graphs', () => {
    const rng = new Rng(1);
    const z = rng.normals(5 * 16);
    const ref = tf.tidy(() => decode(model.arch, model.params, tf.tensor2d(z, [5, 16])).dataSync() as Float32Array);
    expect(maxDiff(model.decodeMean(z), ref)).toBeLessThan(1e-4);
    const x = new Float32Array(3 * 32 * 32 * 3).map(() => rng.next() * 2 - 1);
    const post = tf.tidy(() => {
      const p = encode(model.arch, model.params, tf.tensor4d(x, [3, 32, 32, 3]));
      return { mu: p.mu.dataSync() as Float32Array, logvar: p.logvar.dataSync() as Float32Array };
    });
    const got = model.encode(x);
    expect(maxDiff(got.mu, post.mu)).toBeLessThan(1e-4);
    expect(maxDiff(got.logvar, post.logvar)).toBeLessThan(1e-4);
    expect(model.decode(z).length).toBe(5 * 32 * 32 * 3);
  });

  it('follows new weights', () => {
    const z = new Rng(2).normals(16);
    const before = model.decodeMean(z);
    model.load(VaeModel.create({ size: 32, latent: 16 }, 99).serialize());
    const after = model.decodeMean(z);
    const ref = tf.tidy(() => decode(model.arch, model.params, tf.tensor2d(z, [1, 16])).dataSync() as Float32Array);
    expect(maxDiff(after, before)).toBeGreaterThan(1e-3);
    expect(maxDiff(after, ref)).toBeLessThan(1e-4);
  });
});
