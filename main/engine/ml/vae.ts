// The VAE's forward passes, as pure functions of the parameters. Backend-agnostic: only tfjs-core ops.
// Images enter and leave in [-1, 1], NHWC.
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, LEAK, STRIDE } from './architecture';
import { biasLeakyRelu } from './fused/bias-leaky-relu';
import type { Params } from './params';

export interface Posterior {
  mu: tf.Tensor2D;
  logvar: tf.Tensor2D;
}

/** A parameter by name, typed as a tensor of rank R; throws if the model has none of that name. */
export function param<R extends tf.Rank>(params: Params, name: string): tf.Tensor<R> {
  const v = params.get(name);
  if (!v) throw new Error(`Missing model parameter ${name}`);
  return v as unknown as tf.Tensor<R>;
}

export function encode(arch: Architecture, params: Params, x: tf.Tensor4D): Posterior {
  let h: tf.Tensor4D = x;
  arch.channels.forEach((_, i) => {
    const conv = tf.conv2d(h, param<tf.Rank.R4>(params, `enc${i}.w`), STRIDE, 'same');
    h = biasLeakyRelu(conv, param<tf.Rank.R1>(params, `enc${i}.b`), LEAK);
  });
  const flat = tf.reshape(h, [h.shape[0], arch.bottleneckUnits]) as tf.Tensor2D;
  const out = tf.add(tf.matMul(flat, param<tf.Rank.R2>(params, 'enc.dense.w')), param(params, 'enc.dense.b')) as tf.Tensor2D;
  const [mu, logvar] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
  return { mu, logvar };
}

/** z = mu + sigma * eps, with eps supplied by the caller so runs are seeded and backend-independent. */
export function reparameterize(post: Posterior, eps: tf.Tensor2D): tf.Tensor2D {
  return tf.add(post.mu, tf.mul(tf.exp(tf.mul(post.logvar, 0.5)), eps));
}

/** Mean image in [-1, 1]. */
export function decode(arch: Architecture, params: Params, z: tf.Tensor2D): tf.Tensor4D {
  const batch = z.shape[0];
  const side = arch.bottleneckSide;
  const dense = biasLeakyRelu(tf.matMul(z, param<tf.Rank.R2>(params, 'dec.dense.w')), param<tf.Rank.R1>(params, 'dec.dense.b'), LEAK);
  let h = tf.reshape(dense, [batch, side, side, arch.channels[arch.channels.length - 1]]) as tf.Tensor4D;
  const layers = arch.channels.length;
  for (let i = 0; i < layers; i++) {
    const w = param<tf.Rank.R4>(params, `dec${i}.w`);
    const outShape: [number, number, number, number] = [batch, h.shape[1] * STRIDE, h.shape[2] * STRIDE, w.shape[2]];
    const up = tf.conv2dTranspose(h, w, outShape, STRIDE, 'same');
    const b = param<tf.Rank.R1>(params, `dec${i}.b`);
    h = i < layers - 1 ? biasLeakyRelu(up, b, LEAK) : (tf.tanh(tf.add(up, b)) as tf.Tensor4D);
  }
  return h;
}

export function logScale(params: Params): tf.Tensor1D {
  return param<tf.Rank.R1>(params, 'logscale');
}
