// The negative ELBO: a discretized logistic likelihood over 256 intensity levels (so reconstruction NLL is a
// true log-probability of the 8-bit image, reportable in bits/dim) plus the analytic Gaussian KL.
import * as tf from '@tensorflow/tfjs-core';
import { fusedOpsEnabled } from './fused/switch';

export const MIN_LOG_SCALE = -7;
const HALF_BIN = 1 / 255;
const CDF_DELTA_FLOOR = 1e-5;

/**
 * −log p(x | mean, scale) summed over pixels and channels, one value per image.
 * x: 8-bit values mapped to [-1, 1] (k / 127.5 − 1); mean in [-1, 1]; logScaleRaw: per-channel [C].
 */
export function discretizedLogisticNll(x: tf.Tensor4D, mean: tf.Tensor4D, logScaleRaw: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logS = tf.maximum(logScaleRaw, MIN_LOG_SCALE);
    // 1/s broadcast to the image's shape once (a broadcast Add), so the three products below and their gradients
    // are same-shape element-wise ops: on wasm a Multiply that broadcasts a [C] vector is a slow path (~7 ms vs
    // ~0.3 ms for 393K values), and the gradient repeats it. Same values (0 + a = a). Off with the fused ops
    // switch (fused/switch.ts), for before/after comparisons.
    const invS = fusedOpsEnabled() ? tf.add(tf.zerosLike(x), tf.exp(tf.neg(logS))) : tf.exp(tf.neg(logS));
    const centered = tf.sub(x, mean);
    const plusIn = tf.mul(invS, tf.add(centered, HALF_BIN));
    const minIn = tf.mul(invS, tf.sub(centered, HALF_BIN));
    const midIn = tf.mul(invS, centered);
    // log σ(a) = a − softplus(a); log(1 − σ(b)) = −softplus(b)
    const logCdfPlus = tf.sub(plusIn, tf.softplus(plusIn));
    const logOneMinusCdfMin = tf.neg(tf.softplus(minIn));
    const cdfDelta = tf.sub(tf.sigmoid(plusIn), tf.sigmoid(minIn));
    // Where the bin mass underflows, use the density at the centre times the bin width (2/255).
    const logPdfMid = tf.sub(tf.sub(midIn, logS), tf.mul(tf.softplus(midIn), 2));
    const inner = tf.where(
      tf.greater(cdfDelta, CDF_DELTA_FLOOR),
      tf.log(tf.maximum(cdfDelta, 1e-12)),
      tf.sub(logPdfMid, Math.log(127.5)),
    );
    const logProb = tf.where(
      tf.less(x, -0.999),
      logCdfPlus,
      tf.where(tf.greater(x, 0.999), logOneMinusCdfMin, inner),
    );
    return tf.neg(tf.sum(logProb, [1, 2, 3])) as tf.Tensor1D;
  });
}

/** KL(N(mu, exp(logvar)) || N(0, I)) per image. */
export function gaussianKl(mu: tf.Tensor2D, logvar: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() =>
    tf.mul(tf.sum(tf.sub(tf.add(tf.exp(logvar), tf.square(mu)), tf.add(logvar, 1)), 1), 0.5) as tf.Tensor1D,
  );
}

/** Nats per image → bits per dimension. */
export function bitsPerDim(natsPerImage: number, dims: number): number {
  return natsPerImage / (dims * Math.LN2);
}

/** KL weight after linear warm-up from 0 to beta over warmupSteps. */
export function klWeight(beta: number, step: number, warmupSteps: number): number {
  if (warmupSteps <= 0) return beta;
  return beta * Math.min(1, step / warmupSteps);
}
