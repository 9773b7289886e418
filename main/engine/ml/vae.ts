// The VAE's forward passes, as pure functions of the parameters. Backend-agnostic: only tfjs-core ops.
// Images enter and leave in [-1, 1], NHWC.
import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from './architecture';
import { vaeDecoder, vaeEncoder } from './description/layers';
import { param, tfjsCompiler } from './description/tfjs-compiler';
import type { Params } from './params';

export interface Posterior {
  mu: tf.Tensor2D;
  logvar: tf.Tensor2D;
}

export { param } from './description/tfjs-compiler';

export function encode(arch: Architecture, params: Params, x: tf.Tensor4D): Posterior {
  const { mu, logvar } = vaeEncoder(tfjsCompiler(params), arch, x);
  return { mu: mu as tf.Tensor2D, logvar: logvar as tf.Tensor2D };
}

/** z = mu + sigma * eps, with eps supplied by the caller so runs are seeded and backend-independent. */
export function reparameterize(post: Posterior, eps: tf.Tensor2D): tf.Tensor2D {
  return tf.add(post.mu, tf.mul(tf.exp(tf.mul(post.logvar, 0.5)), eps));
}

/** Mean image in [-1, 1]. */
export function decode(arch: Architecture, params: Params, z: tf.Tensor2D): tf.Tensor4D {
  return vaeDecoder(tfjsCompiler(params), arch, z) as tf.Tensor4D;
}

export function logScale(params: Params): tf.Tensor1D {
  return param<tf.Rank.R1>(params, 'logscale');
}
