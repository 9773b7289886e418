// The denoising VAE as one object: parameters, training gradients, and inference on images of any size.
// Training batches are square patches: [clean, noisy, eps] with clean/noisy n × side × side × 3 in [-1, 1] and
// eps n × side/2 × side/2 × latent. Inference takes HWC floats in [0, 1] and decodes the posterior mean.
import * as tf from '@tensorflow/tfjs-core';
import '../gradients';
import { elboGradients } from '../elbo-gradients';
import { discretizedLogisticNll, gaussianKl } from '../loss';
import { disposeParams, initParamsFromSpecs, loadParams, type Params, serializeParams } from '../params';
import type { LossTerms, ModelSpec, TrainableModel, TrainBatch } from '../trainable';
import { checkDenoiserConfig, type DenoiserConfig, denoiserParamSpecs, SCALE } from './architecture';
import { decodeCleanFast, posteriorMean } from './inference';
import { decodeClean, encodeNoisy, sampleLatent } from './network';

export class DenoiserModel implements TrainableModel {
  private constructor(
    readonly config: DenoiserConfig,
    readonly params: Params,
  ) {}

  static create(config: DenoiserConfig, seed: number): DenoiserModel {
    checkDenoiserConfig(config);
    return new DenoiserModel({ ...config }, initParamsFromSpecs(denoiserParamSpecs(config), seed));
  }

  get spec(): ModelSpec {
    return { kind: 'denoiser', config: { ...this.config } };
  }

  /** Values of eps per patch of `side` pixels. */
  latentSize(side: number): number {
    return (side / SCALE) * (side / SCALE) * this.config.latent;
  }

  static batch(clean: Float32Array, noisy: Float32Array, eps: Float32Array, n: number): TrainBatch {
    return { n, arrays: [clean, noisy, eps] };
  }

  private tensors(batch: TrainBatch) {
    const [clean, noisy, eps] = batch.arrays;
    const side = Math.round(Math.sqrt(clean.length / batch.n / 3));
    const half = side / SCALE;
    if (!Number.isInteger(half) || side * side * 3 * batch.n !== clean.length) throw new Error(`Denoiser batches are square patches with even sides`);
    return {
      clean: tf.tensor4d(clean, [batch.n, side, side, 3]),
      noisy: tf.tensor4d(noisy, [batch.n, side, side, 3]),
      eps: tf.tensor4d(eps, [batch.n, half, half, this.config.latent]),
    };
  }

  /** Per-image negative ELBO terms (recon of the CLEAN image, KL summed over the latent map). */
  private lossTensors(t: ReturnType<DenoiserModel['tensors']>) {
    const post = encodeNoisy(this.config, this.params, t.noisy);
    const mean = decodeClean(this.config, this.params, t.noisy, sampleLatent(post, t.eps));
    const n = t.clean.shape[0];
    const recon = discretizedLogisticNll(t.clean, mean, this.params.get('logscale') as unknown as tf.Tensor1D);
    const kl = gaussianKl(tf.reshape(post.mu, [n, -1]) as tf.Tensor2D, tf.reshape(post.logvar, [n, -1]) as tf.Tensor2D);
    return { recon, kl };
  }

  batchGradients(batch: TrainBatch, klWeight: number): { grads: tf.NamedTensorMap; terms: LossTerms } {
    const t = this.tensors(batch);
    try {
      return elboGradients(
        this.params,
        () => {
          const l = this.lossTensors(t);
          return { recon: tf.mean(l.recon), kl: tf.mean(l.kl) };
        },
        klWeight,
      );
    } finally {
      tf.dispose([t.clean, t.noisy, t.eps]);
    }
  }

  /** Loss terms summed over the batch (one sampled z each). */
  evaluate(batch: TrainBatch): { recon: number; kl: number } {
    return tf.tidy(() => {
      const l = this.lossTensors(this.tensors(batch));
      return { recon: tf.sum(l.recon).dataSync()[0], kl: tf.sum(l.kl).dataSync()[0] };
    });
  }

  /**
   * Denoises one HWC RGB image in [0, 1] (any size; odd sides are padded by edge replication): the decoder's
   * mean at the posterior mean of z. With `zeroLatent`, decodes z = 0 instead (shows that the output depends on z).
   */
  denoise(image: Float32Array, width: number, height: number, opts: { zeroLatent?: boolean } = {}): Float32Array {
    const pw = Math.ceil(width / SCALE) * SCALE;
    const ph = Math.ceil(height / SCALE) * SCALE;
    // [0, 1] ↔ [-1, 1] in plain loops: cheaper than two tensor ops each way on small tiles.
    const scaled = new Float32Array(image.length);
    for (let i = 0; i < image.length; i++) scaled[i] = image[i] * 2 - 1;
    // tidy returns the tensor, not its values: tidy walks a returned typed array element by element (~10 ms).
    const result = tf.tidy(() => {
      let x = tf.tensor4d(scaled, [1, height, width, 3]);
      if (pw !== width || ph !== height) x = tf.mirrorPad(x, [[0, 0], [0, ph - height], [0, pw - width], [0, 0]], 'symmetric');
      const mu = posteriorMean(this.config, this.params, x);
      const y = decodeCleanFast(this.config, this.params, x, opts.zeroLatent ? tf.zerosLike(mu) : mu);
      return pw !== width || ph !== height ? tf.slice(y, [0, 0, 0, 0], [1, height, width, 3]) : y;
    });
    const out = result.dataSync() as Float32Array;
    result.dispose();
    for (let i = 0; i < out.length; i++) out[i] = (out[i] + 1) / 2;
    return out;
  }

  serialize(): Buffer {
    return serializeParams(this.params);
  }

  load(blob: Uint8Array): void {
    loadParams(this.params, blob);
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
