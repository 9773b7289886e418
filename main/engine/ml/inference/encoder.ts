/**
 * The encoder's inference path: the same maths as vae.encode, with each convolution + bias + LeakyReLU as one
 * fused conv2d (LeakyReLU as PReLU with a constant slope tensor: vectorised on wasm, see decoder.ts) and the
 * dense layer as one fused matMul + bias. The model's own variables are the filters, so the wasm backend's
 * per-filter XNNPACK operator cache already holds across calls; only the slope tensors are precomputed.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, LEAK, STRIDE } from '../architecture';
import type { Params } from '../params';

export interface EncoderPlan {
  arch: Architecture;
  /** PReLU slope per encoder conv, [outC] filled with LEAK */
  slopes: tf.Tensor1D[];
}

export function buildEncoderPlan(arch: Architecture): EncoderPlan {
  return { arch, slopes: arch.channels.map((c) => tf.keep(tf.fill([c], LEAK) as tf.Tensor1D)) };
}

export function disposeEncoderPlan(plan: EncoderPlan): void {
  tf.dispose(plan.slopes);
  plan.slopes.length = 0;
}

function param<T extends tf.Tensor>(params: Params, name: string): T {
  const v = params.get(name);
  if (!v) throw new Error(`Missing model parameter ${name}`);
  return v as unknown as T;
}

/** Posterior means and log-variances for a batch of [-1, 1] NHWC images (n × size × size × imageChannels values). */
export function runEncoder(plan: EncoderPlan, params: Params, x: Float32Array): { mu: Float32Array; logvar: Float32Array } {
  const { arch } = plan;
  const per = arch.size * arch.size * arch.imageChannels;
  const n = x.length / per;
  if (!Number.isInteger(n)) throw new Error(`encode: ${x.length} values is not a whole number of ${arch.size}×${arch.size} images`);
  const out = tf.tidy(() => {
    let h = tf.tensor4d(x, [n, arch.size, arch.size, arch.imageChannels]);
    arch.channels.forEach((_, i) => {
      h = tf.fused.conv2d({
        x: h,
        filter: param<tf.Tensor4D>(params, `enc${i}.w`),
        strides: STRIDE,
        pad: 'same',
        bias: param<tf.Tensor1D>(params, `enc${i}.b`),
        activation: 'prelu',
        preluActivationWeights: plan.slopes[i],
      });
    });
    const flat = tf.reshape(h, [n, arch.bottleneckUnits]) as tf.Tensor2D;
    return tf.fused.matMul({ a: flat, b: param<tf.Tensor2D>(params, 'enc.dense.w'), bias: param<tf.Tensor1D>(params, 'enc.dense.b') });
  });
  let values: Float32Array;
  try {
    values = out.dataSync() as Float32Array;
  } finally {
    out.dispose();
  }
  // [n, 2·latent] rows: mu then logvar (tf.split along axis 1 in vae.encode).
  const l = arch.latent;
  const mu = new Float32Array(n * l);
  const logvar = new Float32Array(n * l);
  for (let b = 0; b < n; b++) {
    mu.set(values.subarray(2 * l * b, 2 * l * b + l), b * l);
    logvar.set(values.subarray(2 * l * b + l, 2 * l * (b + 1)), b * l);
  }
  return { mu, logvar };
}
