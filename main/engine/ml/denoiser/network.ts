// The denoising VAE's forward passes as pure functions of the parameters (tfjs-core ops only, any backend).
// Images are NHWC in [-1, 1]; sides must be multiples of SCALE. The decoder sees only the latent map z; the
// noisy image is added back only at the very end (residual output), so all the cleaning goes through z.
import * as tf from '@tensorflow/tfjs-core';
import { denoiserDecoder, denoiserEncoder } from '../description/denoiser-layers';
import { tfjsCompiler } from '../description/tfjs-compiler';
import type { Params } from '../params';
import type { DenoiserConfig } from './architecture';

export interface SpatialPosterior {
  mu: tf.Tensor4D;
  logvar: tf.Tensor4D;
}

export function encodeNoisy(c: DenoiserConfig, params: Params, noisy: tf.Tensor4D): SpatialPosterior {
  const { mu, logvar } = denoiserEncoder(tfjsCompiler(params), c, noisy);
  return { mu: mu as tf.Tensor4D, logvar: logvar as tf.Tensor4D };
}

export function sampleLatent(post: SpatialPosterior, eps: tf.Tensor4D): tf.Tensor4D {
  return tf.add(post.mu, tf.mul(tf.exp(tf.mul(post.logvar, 0.5)), eps));
}

/** Mean of the clean image given the noisy one and a latent map. */
export function decodeClean(c: DenoiserConfig, params: Params, noisy: tf.Tensor4D, z: tf.Tensor4D): tf.Tensor4D {
  return denoiserDecoder(tfjsCompiler(params), c, noisy, z) as tf.Tensor4D;
}
