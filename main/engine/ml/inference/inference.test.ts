// The inference fast path against the training graph's decoder/encoder (vae.ts): same images on random weights
// (non-zero biases) for every decoder depth, batch 1 and 5, on wasm (its target) and cpu (the generic
// interleave); weight changes (load, a training step, explicit invalidation) picked up; no tensor growth.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node build registers no gradients; the union bundle does (the training step below needs them).
import '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../adam';
import { toPixels } from '../batches';
import { initBackend } from '../backends/index.js';
import { VaeModel } from '../model';
import { packTensors, paramSpecs } from '../params';
import { Rng } from '../rng';
import { decode, encode } from '../vae';
import { inferenceFor, invalidateInference, releaseInference } from './index';
import { axisPhases, phaseFilter, shiftedAxis, shiftedFilter } from './phases';

const LATENT = 128;
const TOLERANCE = 1e-4;

/** A checkpoint blob of random weights: every parameter (biases and log-scale included) uniform ±bound. */
function randomWeights(model: VaeModel, seed: number): Buffer {
  const rng = new Rng(seed);
  return packTensors(
    paramSpecs(model.arch).map((spec) => {
      const n = spec.shape.reduce((a, b) => a * b, 1);
      const bound = spec.bound > 0 ? spec.bound : 0.5;
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = (rng.next() * 2 - 1) * bound;
      return { name: spec.name, shape: spec.shape, values };
    }),
  );
}

function referenceMean(model: VaeModel, z: Float32Array): Float32Array {
  const n = z.length / model.arch.latent;
  return tf.tidy(() => decode(model.arch, model.params, tf.tensor2d(z, [n, model.arch.latent])).dataSync() as Float32Array);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function checkDecoder(model: VaeModel, n: number, seed: number): void {
  const z = new Rng(seed).normals(n * LATENT);
  const ref = referenceMean(model, z);
  const mean = model.decodeMean(z);
  expect(mean.length).toBe(n * model.imageDims);
  expect(maxAbsDiff(mean, ref)).toBeLessThanOrEqual(TOLERANCE);
  // The images are not trivially flat (a wrong interleave would still pass a constant output).
  const spread = Math.max(...ref) - Math.min(...ref);
  expect(spread).toBeGreaterThan(0.5);
  // 8-bit pixels: the same rounding of the same values; a value sitting on a rounding boundary may differ by 1.
  const pixels = model.decode(z);
  const refPixels = toPixels(ref);
  expect(maxAbsDiff(pixels, refPixels)).toBeLessThanOrEqual(1);
  let off = 0;
  for (let i = 0; i < pixels.length; i++) if (pixels[i] !== refPixels[i]) off++;
  expect(off).toBeLessThanOrEqual(Math.ceil(pixels.length * 1e-3));
}

describe('phase decomposition (array maths) against conv2dTranspose', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  // Every geometry the decomposition accepts, not only the model's k=4, s=2.
  const geometries: [number, number][] = [[4, 2], [2, 2], [3, 2], [5, 2], [6, 3], [3, 1]];
  it.each(geometries)('k=%i s=%i: per-phase convolutions', (k, s) => {
    const rng = new Rng(k * 10 + s);
    const [n, h, w, inC, outC] = [2, 5, 4, 3, 2];
    const x = tf.tensor4d(rng.normals(n * h * w * inC), [n, h, w, inC]);
    const wv = rng.normals(k * k * outC * inC);
    const filter = tf.tensor4d(wv, [k, k, outC, inC]);
    const expected = tf.conv2dTranspose(x, filter, [n, h * s, w * s, outC], s, 'same');
    const phases = axisPhases(k, s);
    const got = new Float32Array(n * h * s * w * s * outC);
    for (const ph of phases) {
      for (const pw of phases) {
        const f = phaseFilter(wv, k, outC, inC, ph, pw);
        const part = tf.conv2d(x, tf.tensor4d(f.values, f.shape), 1, [[0, 0], [-ph.dmin, ph.dmax], [-pw.dmin, pw.dmax], [0, 0]]);
        expect(part.shape).toEqual([n, h, w, outC]);
        const pv = part.dataSync();
        for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let c = 0; c < outC; c++) {
          got[((b * h * s + s * y + ph.r) * w * s + s * xx + pw.r) * outC + c] = pv[((b * h + y) * w + xx) * outC + c];
        }
      }
    }
    expect(maxAbsDiff(got, expected.dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, filter, expected]);
  });

  it.each([[4, 2], [2, 2], [6, 2]] as [number, number][])('k=%i s=%i: shifted single convolution', (k, s) => {
    const rng = new Rng(k + s);
    const [n, h, inC, outC] = [2, 5, 3, 2];
    const x = tf.tensor4d(rng.normals(n * h * h * inC), [n, h, h, inC]);
    const wv = rng.normals(k * k * outC * inC);
    const expected = tf.conv2dTranspose(x, tf.tensor4d(wv, [k, k, outC, inC]), [n, h * s, h * s, outC], s, 'same').dataSync();
    const axis = shiftedAxis(k, s);
    const f = shiftedFilter(wv, k, s, outC, inC, axis);
    const y = tf.conv2d(x, tf.tensor4d(f.values, f.shape), 1, [[0, 0], [-axis.uMin, axis.padAfter], [-axis.uMin, axis.padAfter], [0, 0]]);
    const [, u, , ch] = y.shape;
    const yv = y.dataSync();
    const side = h * s;
    let m = 0;
    for (let b = 0; b < n; b++) for (let oy = 0; oy < side; oy++) for (let ox = 0; ox < side; ox++) for (let c = 0; c < outC; c++) {
      const uy = Math.floor((oy - axis.e0) / s);
      const ux = Math.floor((ox - axis.e0) / s);
      const blk = (oy - axis.e0 - s * uy) * s + (ox - axis.e0 - s * ux);
      const v = yv[((b * u + uy - axis.uMin) * u + ux - axis.uMin) * ch + blk * outC + c];
      m = Math.max(m, Math.abs(v - expected[((b * side + oy) * side + ox) * outC + c]));
    }
    expect(m).toBeLessThan(1e-4);
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`VaeModel inference fast path (${backend})`, () => {
    const models: VaeModel[] = [];
    const make = (size: number, seed: number): VaeModel => {
      const model = VaeModel.create({ size, latent: LATENT }, seed);
      model.load(randomWeights(model, seed + 1000));
      models.push(model);
      return model;
    };

    beforeAll(async () => {
      const report = await initBackend(backend);
      expect(report.name).toBe(backend);
    });

    afterAll(() => {
      for (const m of models) {
        releaseInference(m);
        m.dispose();
      }
    });

    // cpu is slow (pure JS); it covers the generic interleave on the smaller sizes.
    const sizes = backend === 'wasm' ? [16, 32, 64] : [16, 32];
    it.each(sizes)('decode/decodeMean match vae.decode, size %i, batch 1 and 5', (size) => {
      const model = make(size, size);
      checkDecoder(model, 1, 1);
      checkDecoder(model, 5, 2);
      expect(inferenceFor(model).builds).toBe(1); // built once, reused
    });

    it('encode matches vae.encode', () => {
      const model = make(32, 7);
      const n = 3;
      const rng = new Rng(3);
      const x = new Float32Array(n * model.imageDims);
      for (let i = 0; i < x.length; i++) x[i] = rng.next() * 2 - 1;
      const ref = tf.tidy(() => {
        const post = encode(model.arch, model.params, tf.tensor4d(x, [n, 32, 32, 3]));
        return { mu: post.mu.dataSync(), logvar: post.logvar.dataSync() };
      });
      const got = model.encode(x);
      expect(maxAbsDiff(got.mu, ref.mu)).toBeLessThanOrEqual(1e-5);
      expect(maxAbsDiff(got.logvar, ref.logvar)).toBeLessThanOrEqual(1e-5);
    });

    it('picks up new weights after load, a training step and invalidate()', () => {
      const model = make(16, 11);
      const inference = inferenceFor(model);
      const z = new Rng(5).normals(2 * LATENT);
      const before = model.decodeMean(z);
      const builds = inference.builds;

      model.load(randomWeights(model, 99));
      const afterLoad = model.decodeMean(z);
      expect(inference.builds).toBe(builds + 1);
      expect(maxAbsDiff(afterLoad, before)).toBeGreaterThan(0.01);
      expect(maxAbsDiff(afterLoad, referenceMean(model, z))).toBeLessThanOrEqual(TOLERANCE);

      const adam = new Adam(model.params, { lr: 0.05 });
      const x = new Float32Array(2 * model.imageDims).map((_, i) => Math.sin(i) * 0.9);
      model.trainStep(adam, x, new Rng(6).normals(2 * LATENT), 1);
      adam.dispose();
      const afterStep = model.decodeMean(z);
      expect(inference.builds).toBe(builds + 2);
      expect(maxAbsDiff(afterStep, afterLoad)).toBeGreaterThan(1e-3);
      expect(maxAbsDiff(afterStep, referenceMean(model, z))).toBeLessThanOrEqual(TOLERANCE);

      // Unchanged weights: no rebuild; explicit invalidation: one rebuild, same result.
      model.decode(z);
      expect(inference.builds).toBe(builds + 2);
      invalidateInference(model);
      expect(maxAbsDiff(model.decodeMean(z), afterStep)).toBe(0);
      expect(inference.builds).toBe(builds + 3);
    });

    it('holds no extra tensors across repeated decodes and encodes', () => {
      const model = make(backend === 'wasm' ? 64 : 16, 21);
      const z1 = new Rng(8).normals(LATENT);
      const z5 = new Rng(9).normals(5 * LATENT);
      const x = new Float32Array(2 * model.imageDims).fill(0.25);
      const round = (i: number) => {
        model.decode(z1);
        if (i % 10 === 0) {
          model.decodeMean(z5);
          model.encode(x);
        }
      };
      // Warm-up: the wasm heap settles (allocator fragmentation) within the first few dozen rounds.
      for (let i = 0; i < 100; i++) round(i);
      const start = tf.memory();
      // On wasm also the heap: a leak below TF.js (e.g. XNNPACK operators or weights re-created per call) grows it.
      const heapBytes = () => (backend === 'wasm' ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length : 0);
      const startHeap = heapBytes();
      const rounds = backend === 'wasm' ? 1000 : 50;
      for (let i = 0; i < rounds; i++) round(i);
      const end = tf.memory();
      expect(end.numTensors).toBe(start.numTensors);
      expect(end.numBytes).toBe(start.numBytes);
      expect(heapBytes()).toBe(startHeap);
    });

    it('releaseInference frees the plan tensors', () => {
      const model = make(16, 31);
      const before = tf.memory().numTensors;
      model.decode(new Rng(1).normals(LATENT));
      model.encode(new Float32Array(model.imageDims));
      expect(tf.memory().numTensors).toBeGreaterThan(before);
      releaseInference(model);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('handles an empty batch', () => {
      const model = make(16, 41);
      expect(model.decode(new Float32Array(0)).length).toBe(0);
      expect(model.decodeMean(new Float32Array(0)).length).toBe(0);
      expect(model.encode(new Float32Array(0)).mu.length).toBe(0);
    });
  });
}
