// initBackend: selection report, explicit-choice errors, idempotence; and a tiny conv net training on wasm.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node build registers no gradients; the union bundle does (and the model imports it too).
import '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import util from 'node:util';
import { describe, expect, it } from 'vitest';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig } from './conv-kernels.js';
import { initBackend } from './index.js';
import { installNodeUtilShim } from './node-util-shim.js';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}
const noTfjsNode = !installed('@tensorflow/tfjs-node') && !installed('@tensorflow/tfjs-node-gpu');

describe('initBackend', () => {
  it.runIf(noTfjsNode)('auto picks ONNX Runtime here, wasm for the rest, and says why tensorflow was not used', async () => {
    const report = await initBackend('auto');
    expect(report.name).toBe('onnx');
    expect(report.tfjs).toBe('wasm');
    expect(report.provider).toBe('cpu');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.reasons.map((r) => [r.backend, r.ok])).toEqual([
      ['onnx', true],
      ['tensorflow-gpu', false],
      ['tensorflow', false],
      ['wasm', true],
    ]);
    expect(report.reasons[0].reason).toMatch(/ONNX Runtime 1\.\d+\.\d+ on the CPU, one single-threaded training session per core/);
    expect(report.reasons[1].reason).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
    expect(report.reasons[2].reason).toMatch(/@tensorflow\/tfjs-node is not installed/);
    expect(report.reasons[3].reason).toMatch(/SIMD.*for what ONNX does not run/);
  });

  it('an explicit TF.js backend says ONNX was not tried', async () => {
    const report = await initBackend('wasm');
    expect(report.name).toBe('wasm');
    expect(report.reasons[0]).toEqual({ backend: 'onnx', ok: false, reason: "not tried: backend 'wasm' was requested" });
  });

  it.runIf(noTfjsNode)('explicit tensorflow that cannot load throws one clear line', async () => {
    const err = await initBackend('tensorflow').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/^backend 'tensorflow' is unavailable \(.*tfjs-node-gpu.*tfjs-node is not installed\)$/);
    expect(message).not.toContain('\n');
    // a failed explicit choice leaves the previous backend in place
    expect(tf.getBackend()).toBe('wasm');
  });

  it('is safe to call repeatedly and to switch back and forth', async () => {
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (...a: unknown[]) => void warnings.push(a.join(' '));
    try {
      const [a, b] = await Promise.all([initBackend('wasm'), initBackend('wasm')]);
      expect(a.name).toBe('wasm');
      expect(b).toEqual(a);
      expect((await initBackend('cpu')).name).toBe('cpu');
      expect(tf.getBackend()).toBe('cpu');
      const again = await initBackend('wasm');
      expect(again.reasons.map((r) => r.backend)).toEqual(['onnx', 'tensorflow-gpu', 'tensorflow', 'wasm']);
      expect(again.reasons[0].reason).toMatch(/not tried/);
      expect(again.reasons[1].reason).toMatch(/not tried/);
      expect(tf.getBackend()).toBe('wasm');
    } finally {
      console.warn = warn;
    }
    expect(warnings.filter((w) => /already registered|Overriding/i.test(w))).toEqual([]);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterConfig.kernelFunc);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2DBackpropInputConfig.kernelFunc);
  });

  it('rejects an unknown choice', async () => {
    await expect(initBackend('gpu' as never)).rejects.toThrow(/unknown backend 'gpu'/);
  });
});

describe('node util shim', () => {
  it('provides the util.is* functions removed in Node 23', () => {
    installNodeUtilShim();
    const u = util as unknown as Record<string, (v: unknown) => boolean>;
    expect(u.isNullOrUndefined(null)).toBe(true);
    expect(u.isNullOrUndefined(0)).toBe(false);
    expect(u.isString('a')).toBe(true);
    expect(u.isPrimitive({})).toBe(false);
    expect(u.isArray([])).toBe(true);
    expect(installNodeUtilShim()).toEqual([]); // idempotent
  });
});

describe('training on wasm', () => {
  it('a tiny conv autoencoder lowers its loss', async () => {
    await initBackend('wasm');
    const rng = (() => {
      let s = 12345;
      return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    })();
    const init = (shape: number[], scale: number) =>
      tf.variable(tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => (rng() * 2 - 1) * scale), shape));
    // smooth images so an 8x-compressing autoencoder can actually learn them
    const images = tf.tidy(() => {
      const yy = tf.reshape(tf.linspace(0, 1, 16), [1, 16, 1, 1]);
      const xx = tf.reshape(tf.linspace(0, 1, 16), [1, 1, 16, 1]);
      const phase = tf.reshape(tf.tensor1d([0, 1, 2, 3, 4, 5]), [6, 1, 1, 1]);
      const base = tf.sin(tf.add(tf.mul(tf.add(yy, xx), 3), phase));
      return tf.concat([base, tf.cos(tf.add(tf.add(tf.mul(yy, 4), tf.mul(xx, 0)), phase)), tf.mul(xx, base)], 3) as tf.Tensor4D;
    });
    const w1 = init([4, 4, 3, 8], 0.3);
    const w2 = init([4, 4, 8, 16], 0.2);
    const w3 = init([4, 4, 8, 16], 0.2); // conv2dTranspose filter: [k, k, out, in]
    const w4 = init([4, 4, 3, 8], 0.2);
    const params = [w1, w2, w3, w4];
    const forward = () => {
      const h1 = tf.relu(tf.conv2d(images, w1 as tf.Variable<tf.Rank.R4>, 2, 'same')); // 8x8x8
      const h2 = tf.relu(tf.conv2d(h1, w2 as tf.Variable<tf.Rank.R4>, 2, 'same')); // 4x4x16
      const h3 = tf.relu(tf.conv2dTranspose(h2, w3 as tf.Variable<tf.Rank.R4>, [6, 8, 8, 8], 2, 'same'));
      const out = tf.conv2dTranspose(h3, w4 as tf.Variable<tf.Rank.R4>, [6, 16, 16, 3], 2, 'same');
      return tf.mean(tf.square(tf.sub(out, images))) as tf.Scalar;
    };
    const opt = tf.train.adam(0.01);
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const loss = opt.minimize(forward, true, params as tf.Variable[])!;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    }
    expect(tf.getBackend()).toBe('wasm');
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]);
    tf.dispose([images, ...params]);
    opt.dispose();
  });
});
