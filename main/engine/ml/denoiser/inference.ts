// Inference for the denoiser: the posterior mean through the decoder, with each convolution, its bias and its
// LeakyReLU as one fused op (the training graph keeps them apart for its own gradients). Same values as
// network.ts's decodeClean(noisy, mu).
import * as tf from '@tensorflow/tfjs-core';
import { LEAK } from '../architecture';
import type { Params } from '../params';
import { type DenoiserConfig, SCALE } from './architecture';

/** Per-channel PReLU slopes equal to LEAK, one kept tensor per channel count (a scalar slope is a slow path). */
const slopes = new Map<number, tf.Tensor1D>();
function leakSlopes(channels: number): tf.Tensor1D {
  let t = slopes.get(channels);
  if (!t || t.isDisposed) slopes.set(channels, (t = tf.keep(tf.fill([channels], LEAK)) as tf.Tensor1D));
  return t;
}

function fusedConv(params: Params, name: string, x: tf.Tensor4D, stride: number, act: boolean): tf.Tensor4D {
  const filter = params.get(`${name}.w`) as unknown as tf.Tensor4D;
  return tf.fused.conv2d({
    x,
    filter,
    bias: params.get(`${name}.b`),
    strides: stride,
    pad: 'same',
    // LeakyReLU as PReLU with a constant slope: the same values, and on wasm ~20% faster per layer than the
    // fused 'leakyrelu' activation.
    activation: act ? 'prelu' : 'linear',
    preluActivationWeights: act ? leakSlopes(filter.shape[3]) : undefined,
  });
}

/** Posterior means of the latent map (what inference decodes). */
export function posteriorMean(c: DenoiserConfig, params: Params, noisy: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    let h = fusedConv(params, 'enc.in', noisy, SCALE, true);
    for (let i = 0; i < c.encoderLayers; i++) h = fusedConv(params, `enc${i}`, h, 1, true);
    return fusedConv(params, 'enc.mu', h, 1, false);
  });
}

/** Clean-image mean in [-1, 1] decoded from latent map z (the posterior mean at inference). */
export function decodeCleanFast(c: DenoiserConfig, params: Params, noisy: tf.Tensor4D, z: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    let h = fusedConv(params, 'dec.in', z, 1, true);
    for (let i = 0; i < c.decoderLayers; i++) h = fusedConv(params, `dec${i}`, h, 1, true);
    const [n, hh, ww] = h.shape;
    const up = tf.conv2dTranspose(h, params.get('dec.out.w') as unknown as tf.Tensor4D, [n, hh * SCALE, ww * SCALE, 3], SCALE, 'same');
    return tf.add(tf.add(up, params.get('dec.out.b')!), noisy);
  });
}
