// The fused training ops (fused/) against the plain tfjs-op versions they replace, on wasm and cpu: forward values
// and gradients of biasLeakyRelu, the Adam update, and no tensor or wasm-heap growth over many training steps.
import * as tf from '@tensorflow/tfjs-core';
import '../gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../adam';
import { discretizedLogisticNll } from '../loss';
import { initBackend } from '../backends/index.js';
import { VaeModel } from '../model';
import { Rng } from '../rng';
import { biasLeakyRelu } from './bias-leaky-relu';
import { setFusedOps } from './switch';

const LEAK = 0.2;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(rel * Math.max(scale, 1e-30));
}

function run(f: () => tf.Tensor | tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const r = f();
    return (Array.isArray(r) ? r : [r]).map((t) => t.dataSync() as Float32Array);
  });
}

function randomTensor(shape: number[], rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.next() * 2 - 1), shape);
}

afterAll(() => setFusedOps(true));

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`fused ops on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
      setFusedOps(true);
    });

    for (const shape of [[3, 5, 7, 6], [4, 33], [2, 4, 4, 256], [1, 1, 1, 1]]) {
      it(`biasLeakyRelu [${shape}]: forward and gradients match leakyRelu(add(x, b))`, () => {
        const rng = new Rng(shape.reduce((a, b) => a * 31 + b, 7));
        const c = shape[shape.length - 1];
        const x = randomTensor(shape, rng);
        const b = randomTensor([c], rng) as tf.Tensor1D;
        const dy = randomTensor(shape, rng);
        const plain = (xi: tf.Tensor, bi: tf.Tensor) => tf.leakyRelu(tf.add(xi, bi), LEAK);
        const fused = (xi: tf.Tensor, bi: tf.Tensor) => biasLeakyRelu(xi, bi as tf.Tensor1D, LEAK);
        const [yPlain] = run(() => plain(x, b));
        const [yFused] = run(() => fused(x, b));
        expect(Array.from(yFused)).toEqual(Array.from(yPlain)); // same float32 ops forward
        const [dxPlain, dbPlain] = run(() => tf.grads(plain)([x, b], dy));
        const [dxFused, dbFused] = run(() => tf.grads(fused)([x, b], dy));
        expect(Array.from(dxFused)).toEqual(Array.from(dxPlain));
        expectClose(dbFused, dbPlain);
        tf.dispose([x, b, dy]);
      });
    }

    it('biasLeakyRelu: zeros and negative zero take the leaky side, as tf.leakyRelu does', () => {
      const x = tf.tensor2d([0, -0, 1e-30, -1e-30, 5, -5], [3, 2]);
      const b = tf.zeros([2]) as tf.Tensor1D;
      const dy = tf.ones([3, 2]);
      const plain = run(() => tf.grads((xi: tf.Tensor, bi: tf.Tensor) => tf.leakyRelu(tf.add(xi, bi), LEAK))([x, b], dy));
      const fused = run(() => tf.grads((xi: tf.Tensor, bi: tf.Tensor) => biasLeakyRelu(xi, bi as tf.Tensor1D, LEAK))([x, b], dy));
      expect(Array.from(fused[0])).toEqual(Array.from(plain[0]));
      expectClose(fused[1], plain[1]);
      tf.dispose([x, b, dy]);
    });

    it('discretizedLogisticNll: value and gradients (mean, log-scale) unchanged by the full-shape 1/s', () => {
      const rng = new Rng(21);
      const x = tf.tensor4d(Float32Array.from({ length: 2 * 6 * 5 * 3 }, () => Math.round(rng.next() * 255) / 127.5 - 1), [2, 6, 5, 3]);
      const mean = randomTensor([2, 6, 5, 3], rng) as tf.Tensor4D;
      const ls = tf.tensor1d([-1.5, -3, -8]);
      const f = (m: tf.Tensor, l: tf.Tensor) => tf.sum(tf.mul(discretizedLogisticNll(x, m as tf.Tensor4D, l as tf.Tensor1D), tf.tensor1d([1, 0.5])));
      const both = (on: boolean) => {
        setFusedOps(on);
        try {
          return run(() => [tf.tidy(() => discretizedLogisticNll(x, mean, ls)), ...tf.grads(f)([mean, ls])]);
        } finally {
          setFusedOps(true);
        }
      };
      const plain = both(false);
      const fused = both(true);
      for (let i = 0; i < plain.length; i++) expectClose(fused[i], plain[i]);
      tf.dispose([x, mean, ls]);
    });

    it('a training step computes the same loss, gradients and Adam update as the plain ops', () => {
      const run2 = (fused: boolean) => {
        setFusedOps(fused);
        try {
          const model = VaeModel.create({ size: 16, latent: 4 }, 3);
          const adam = new Adam(model.params, { lr: 1e-3 });
          const rng = new Rng(5);
          const x = Float32Array.from({ length: 4 * model.imageDims }, () => rng.next() * 2 - 1);
          const eps = rng.normals(4 * 4);
          const losses = [0, 1, 2].map(() => model.trainStep(adam, x, eps, 0.5).total);
          const { grads } = model.gradients(x, eps, 0.5);
          const g = Object.fromEntries(Object.entries(grads).map(([k, t]) => [k, t.dataSync() as Float32Array]));
          tf.dispose(Object.values(grads));
          const params = Object.fromEntries([...model.params].map(([k, t]) => [k, t.dataSync() as Float32Array]));
          adam.dispose();
          model.dispose();
          return { losses, g, params };
        } finally {
          setFusedOps(true);
        }
      };
      const plain = run2(false);
      const fused = run2(true);
      for (let i = 0; i < 3; i++) expect(Math.abs(fused.losses[i] - plain.losses[i])).toBeLessThanOrEqual(1e-5 * Math.abs(plain.losses[i]));
      for (const name of Object.keys(plain.params)) {
        expectClose(fused.g[name], plain.g[name], 1e-4);
        expectClose(fused.params[name], plain.params[name]);
      }
    });

    it('Adam: the fused update equals the tfjs-op update', () => {
      const rng = new Rng(11);
      const shapes = { a: [7, 5], b: [13], c: [2, 3, 4, 5] };
      const mk = () => new Map(Object.entries(shapes).map(([k, s]) => [k, tf.variable(randomTensor(s, new Rng(s.length)), true, `adam-${backend}-${k}-${Math.random()}`)]));
      const grads = Array.from({ length: 4 }, () => Object.fromEntries(Object.entries(shapes).map(([k, s]) => [k, randomTensor(s, rng)])));
      const result = (fused: boolean) => {
        setFusedOps(fused);
        try {
          const params = mk();
          const adam = new Adam(params, { lr: 3e-3 });
          for (const g of grads) adam.apply(g);
          const out = Object.fromEntries([...params].map(([k, t]) => [k, t.dataSync() as Float32Array]));
          const state = adam.serialize();
          adam.dispose();
          for (const t of params.values()) t.dispose();
          return { out, state };
        } finally {
          setFusedOps(true);
        }
      };
      const plain = result(false);
      const fused = result(true);
      for (const k of Object.keys(shapes)) expectClose(fused.out[k], plain.out[k]);
      expect(fused.state.length).toBe(plain.state.length);
      for (const g of grads) tf.dispose(Object.values(g));
    });

    it('no tensor or heap growth over many training steps (500 on wasm; cpu is slow, 30)', () => {
      const model = VaeModel.create({ size: 16, latent: 4 }, 1);
      const adam = new Adam(model.params, { lr: 1e-3 });
      const rng = new Rng(2);
      const x = Float32Array.from({ length: 4 * model.imageDims }, () => rng.next() * 2 - 1);
      const eps = rng.normals(4 * 4);
      const heapBytes = () => (backend === 'wasm' ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length : 0);
      for (let i = 0; i < 10; i++) model.trainStep(adam, x, eps, 1);
      const start = { ...tf.memory(), heap: heapBytes() };
      for (let i = 0; i < (backend === 'wasm' ? 500 : 30); i++) model.trainStep(adam, x, eps, 1);
      const end = { ...tf.memory(), heap: heapBytes() };
      adam.dispose();
      model.dispose();
      expect(end.numTensors).toBe(start.numTensors);
      expect(end.numBytes).toBe(start.numBytes);
      expect(end.heap).toBe(start.heap);
    });
  });
}
