// Our wasm convolution-gradient kernels against the cpu backend: forward conv2dTranspose and the gradients of
// conv2d and conv2dTranspose with respect to input and filter, on odd sizes, both paddings, strides 1-3.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node build registers no gradients; the union bundle does (and the model imports it too).
import '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig } from './conv-kernels.js';
import { initBackend } from './index.js';
import { batchMatMulConfig } from './matmul-kernel.js';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  k: number;
  s: number;
  pad: Pad;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomArray(size: number, rng: () => number): Float32Array {
  const a = new Float32Array(size);
  for (let i = 0; i < size; i++) a[i] = rng() * 2 - 1;
  return a;
}

const fixedCases: Case[] = [
  { n: 1, h: 7, w: 9, ci: 2, co: 5, k: 3, s: 2, pad: 'same' },
  { n: 3, h: 13, w: 13, ci: 4, co: 3, k: 4, s: 2, pad: 'valid' },
  { n: 3, h: 13, w: 13, ci: 4, co: 3, k: 4, s: 2, pad: 'same' },
  { n: 1, h: 7, w: 9, ci: 2, co: 5, k: 4, s: 1, pad: 'valid' },
  { n: 3, h: 7, w: 9, ci: 3, co: 4, k: 3, s: 1, pad: 'same' },
  { n: 3, h: 8, w: 10, ci: 8, co: 16, k: 4, s: 2, pad: 'same' },
  { n: 1, h: 8, w: 8, ci: 2, co: 2, k: 1, s: 2, pad: 'same' }, // phases with no filter tap
  { n: 3, h: 9, w: 8, ci: 3, co: 4, k: 4, s: 2, pad: 'valid' }, // last row/col never read
  { n: 1, h: 10, w: 11, ci: 3, co: 2, k: 3, s: 3, pad: 'same' },
  { n: 3, h: 9, w: 7, ci: 2, co: 3, k: 3, s: 2, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
];

function randomCases(count: number, seed: number): Case[] {
  const rng = mulberry32(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)];
  const out: Case[] = [];
  while (out.length < count) {
    const k = pick([3, 4]);
    out.push({
      n: pick([1, 3]),
      h: k + Math.floor(rng() * 10),
      w: k + Math.floor(rng() * 10),
      ci: pick([1, 3, 8, 16]),
      co: pick([1, 4, 8, 32]),
      k,
      s: pick([1, 2]),
      pad: pick(['same', 'valid'] as Pad[]),
    });
  }
  return out;
}

/** conv2d forward + both gradients, conv2dTranspose forward + both gradients, as plain arrays. */
function compute(c: Case, seed: number): Record<string, Float32Array> {
  const rng = mulberry32(seed);
  const xShape: [number, number, number, number] = [c.n, c.h, c.w, c.ci];
  const fShape: [number, number, number, number] = [c.k, c.k, c.ci, c.co];
  return tf.tidy(() => {
    const x = tf.tensor4d(randomArray(c.n * c.h * c.w * c.ci, rng), xShape);
    const f = tf.tensor4d(randomArray(c.k * c.k * c.ci * c.co, rng), fShape);
    const y = tf.conv2d(x, f, c.s, c.pad);
    const gy = tf.tensor4d(randomArray(y.size, rng), y.shape);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad), gy)))([x, f]);
    // conv2dTranspose maps y-shaped tensors back to x's shape with the same filter.
    const t = tf.conv2dTranspose(gy, f, xShape, c.s, c.pad);
    const gx = tf.tensor4d(randomArray(x.size, rng), xShape);
    const [dtIn, dtF] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, xShape, c.s, c.pad), gx)))([gy, f]);
    const read = (v: tf.Tensor) => v.dataSync() as Float32Array;
    return {
      'conv2d forward': read(y),
      'conv2d d/dx': read(dx),
      'conv2d d/dfilter': read(df),
      'conv2dTranspose forward': read(t),
      'conv2dTranspose d/dinput': read(dtIn),
      'conv2dTranspose d/dfilter': read(dtF),
    };
  });
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

function describeCase(c: Case): string {
  const pad = typeof c.pad === 'string' ? c.pad : JSON.stringify(c.pad.slice(1, 3));
  return `x ${c.n}x${c.h}x${c.w}x${c.ci} k${c.k} ${c.ci}->${c.co} s${c.s} ${pad}`;
}

describe('wasm conv kernels vs cpu', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('uses our kernels on wasm', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterConfig.kernelFunc);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2DBackpropInputConfig.kernelFunc);
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(batchMatMulConfig.kernelFunc);
  });

  const matmuls: [number[], number[], boolean, boolean][] = [
    [[7, 5], [5, 3], false, false],
    [[5, 7], [5, 3], true, false],
    [[7, 5], [3, 5], false, true],
    [[5, 7], [3, 5], true, true],
    [[1, 5, 7], [1, 3, 5], true, true],
    [[2, 5, 7], [2, 5, 3], true, false], // batch 2: delegated to the shipped kernel
    [[32, 300], [32, 64], true, false], // a dense layer's weight gradient (transpose a, then a @ b)
    [[32, 64], [300, 64], false, true], // a dense layer's input gradient (computed as (b @ a^T)^T)
  ];
  it.each(matmuls)('matMul %j x %j transposeA=%s transposeB=%s', async (sa, sb, ta, tb) => {
    const rng = mulberry32(sa[0] * 31 + sb[1]);
    const av = randomArray(sa.reduce((p, q) => p * q), rng);
    const bv = randomArray(sb.reduce((p, q) => p * q), rng);
    const run = () => tf.tidy(() => tf.matMul(tf.tensor(av, sa), tf.tensor(bv, sb), ta, tb).dataSync() as Float32Array);
    await tf.setBackend('cpu');
    const expected = run();
    await tf.setBackend('wasm');
    expect(relativeError(run(), expected)).toBeLessThan(1e-5);
  });

  const cases = [...fixedCases, ...randomCases(14, 20240611)];
  it.each(cases.map((c, i) => [describeCase(c), c, i] as const))('%s', async (_name, c, i) => {
    await tf.setBackend('cpu');
    const expected = compute(c, 1000 + i);
    await tf.setBackend('wasm');
    const actual = compute(c, 1000 + i);
    for (const key of Object.keys(expected)) {
      const err = relativeError(actual[key], expected[key]);
      expect(err, `${key}: relative error ${err.toExponential(2)}`).toBeLessThan(1e-4);
    }
  });

  it('does not grow memory across 1000 calls', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number; wasm: { HEAPU8: Uint8Array } };
    const rng = mulberry32(7);
    const x = tf.tensor4d(randomArray(4 * 16 * 16 * 8, rng), [4, 16, 16, 8]);
    const m1 = tf.tensor2d(randomArray(64 * 128, rng), [64, 128]);
    const m2 = tf.tensor2d(randomArray(32 * 128, rng), [32, 128]);
    const m3 = tf.tensor2d(randomArray(64 * 32, rng), [64, 32]);
    const f = tf.tensor4d(randomArray(4 * 4 * 8 * 16, rng), [4, 4, 8, 16]);
    const dy2 = tf.tensor4d(randomArray(4 * 8 * 8 * 16, rng), [4, 8, 8, 16]);
    const dy1 = tf.tensor4d(randomArray(4 * 16 * 16 * 16, rng), [4, 16, 16, 16]);
    const e = tf.engine();
    const step = () => {
      for (const [dy, s] of [[dy2, 2], [dy1, 1]] as const) {
        const attrs = { strides: s, pad: 'same', dataFormat: 'NHWC' };
        const a = e.runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: f.shape }) as tf.Tensor;
        const b = e.runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...attrs, inputShape: x.shape }) as tf.Tensor;
        tf.dispose([a, b]);
      }
      tf.tidy(() => [tf.matMul(m1, m2, false, true), tf.matMul(m1, m3, true, false)].forEach((t) => t.dataSync()));
    };
    for (let i = 0; i < 10; i++) step();
    const before = { ...tf.memory(), dataIds: backend.numDataIds(), heap: backend.wasm.HEAPU8.length };
    for (let i = 0; i < 1000; i++) step();
    const after = { ...tf.memory(), dataIds: backend.numDataIds(), heap: backend.wasm.HEAPU8.length };
    tf.dispose([x, f, dy1, dy2, m1, m2, m3]);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.dataIds).toBe(before.dataIds);
    expect(after.heap).toBe(before.heap);
  });
});
