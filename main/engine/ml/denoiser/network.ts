// The denoising VAE's forward passes as pure functions of the parameters (tfjs-core ops only, any backend).
// Images are NHWC in [-1, 1]; sides must be multiples of SCALE. The decoder sees only the latent map z; the
// noisy image is added back only at the very end (residual output), so all the cleaning goes through z.
import * as tf from '@tensorflow/tfjs-core';
import { LEAK } from '../architecture';
import { biasLeakyRelu } from '../fused/bias-leaky-relu';
import type { Params } from '../params';
import { param as p } from '../vae';
import { type DenoiserConfig, SCALE } from './architecture';

export interface SpatialPosterior {
  mu: tf.Tensor4D;
  logvar: tf.Tensor4D;
}

function convAct(params: Params, name: string, x: tf.Tensor4D, stride = 1): tf.Tensor4D {
  return biasLeakyRelu(tf.conv2d(x, p<tf.Rank.R4>(params, `${name}.w`), stride, 'same'), p<tf.Rank.R1>(params, `${name}.b`), LEAK);
}

function convLinear(params: Params, name: string, x: tf.Tensor4D): tf.Tensor4D {
  return tf.add(tf.conv2d(x, p<tf.Rank.R4>(params, `${name}.w`), 1, 'same'), p(params, `${name}.b`));
}

export function encodeNoisy(c: DenoiserConfig, params: Params, noisy: tf.Tensor4D): SpatialPosterior {
  let h = convAct(params, 'enc.in', noisy, SCALE);
  for (let i = 0; i < c.encoderLayers; i++) h = convAct(params, `enc${i}`, h);
  return { mu: convLinear(params, 'enc.mu', h), logvar: convLinear(params, 'enc.logvar', h) };
}

export function sampleLatent(post: SpatialPosterior, eps: tf.Tensor4D): tf.Tensor4D {
  return tf.add(post.mu, tf.mul(tf.exp(tf.mul(post.logvar, 0.5)), eps));
}

/** The residual the decoder predicts from z alone, at full resolution. */
export function decodeResidual(c: DenoiserConfig, params: Params, z: tf.Tensor4D): tf.Tensor4D {
  let h = convAct(params, 'dec.in', z);
  for (let i = 0; i < c.decoderLayers; i++) h = convAct(params, `dec${i}`, h);
  const [n, hh, ww] = h.shape;
  const up = tf.conv2dTranspose(h, p<tf.Rank.R4>(params, 'dec.out.w'), [n, hh * SCALE, ww * SCALE, 3], SCALE, 'same');
  return tf.add(up, p(params, 'dec.out.b'));
}

/** Mean of the clean image given the noisy one and a latent map. */
export function decodeClean(c: DenoiserConfig, params: Params, noisy: tf.Tensor4D, z: tf.Tensor4D): tf.Tensor4D {
  return tf.add(noisy, decodeResidual(c, params, z));
}
