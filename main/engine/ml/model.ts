// One trainable VAE: its architecture, parameters, a training step and the inference entry points the
// engine's services use. Inputs and outputs are plain typed arrays so callers never hold tensors.
import * as tf from '@tensorflow/tfjs-core';
import './gradients';
import { type Adam } from './adam';
import { type Architecture, describeArchitecture, type ModelConfig } from './architecture';
import { discretizedLogisticNll, gaussianKl } from './loss';
import { disposeParams, initParams, loadParams, packTensors, paramEntries, type Params, unpackTensors } from './params';
import { type GaussianMixture, sampleGaussianMixture } from './prior/gmm';
import { priorEntries, priorFromEntries } from './prior/stored-prior';
import { Rng } from './rng';
import { decode, encode, logScale, reparameterize } from './vae';
import { elboGradients } from './elbo-gradients';
import { inferenceFor, releaseInference } from './inference';
import { toPixels, unpremultiply } from './batches';
import { onnxInferenceEnabled, OnnxVaeInference } from './onnx/vae-inference';
import type { LossTerms, ModelSpec, TrainableModel, TrainBatch } from './trainable';

export type { LossTerms } from './trainable';

/** Where prior samples come from: the density fitted after training, or the VAE's N(0, I). */
export type PriorChoice = 'fitted' | 'standard';

export class VaeModel implements TrainableModel {
  readonly arch: Architecture;

  private constructor(
    config: ModelConfig,
    readonly params: Params,
  ) {
    this.arch = describeArchitecture(config);
  }

  static create(config: ModelConfig, seed: number): VaeModel {
    return new VaeModel(config, initParams(describeArchitecture(config), seed));
  }

  get spec(): ModelSpec {
    return { kind: 'vae', config: { size: this.arch.size, latent: this.arch.latent, network: this.arch.network, imageChannels: this.arch.imageChannels } };
  }

  /** A training batch: images in [-1, 1] and the reparameterisation noise, n × latent. */
  static batch(x: Float32Array, eps: Float32Array, n: number): TrainBatch {
    return { n, arrays: [x, eps] };
  }

  batchGradients(batch: TrainBatch, klWeight: number): { grads: tf.NamedTensorMap; terms: LossTerms } {
    const [x, eps] = batch.arrays;
    return this.gradients(x, eps, klWeight);
  }

  get imageDims(): number {
    return this.arch.size * this.arch.size * this.arch.imageChannels;
  }

  /** One Adam step on a batch; returns the batch's loss terms. */
  trainStep(adam: Adam, x: Float32Array, eps: Float32Array, klWeight: number): LossTerms {
    const { grads, terms } = this.gradients(x, eps, klWeight);
    try {
      adam.apply(grads);
    } finally {
      tf.dispose(Object.values(grads));
    }
    return terms;
  }

  /**
   * Gradients of the batch-mean loss (recon + klWeight·KL) by parameter name, and the batch's loss terms.
   * The caller owns (and disposes) the gradient tensors.
   */
  gradients(x: Float32Array, eps: Float32Array, klWeight: number): { grads: tf.NamedTensorMap; terms: LossTerms } {
    const n = x.length / this.imageDims;
    const xs = tf.tensor4d(x, [n, this.arch.size, this.arch.size, this.arch.imageChannels]);
    const noise = tf.tensor2d(eps, [n, this.arch.latent]);
    try {
      return elboGradients(
        this.params,
        () => {
          const post = encode(this.arch, this.params, xs);
          const mean = decode(this.arch, this.params, reparameterize(post, noise));
          return { recon: tf.mean(discretizedLogisticNll(xs, mean, logScale(this.params))), kl: tf.mean(gaussianKl(post.mu, post.logvar)) };
        },
        klWeight,
      );
    } finally {
      tf.dispose([xs, noise]);
    }
  }

  /** Per-image loss terms without training (one sampled z per image, eps from the caller). */
  lossPerImage(x: Float32Array, eps: Float32Array): { recon: Float32Array; kl: Float32Array } {
    const n = x.length / this.imageDims;
    return tf.tidy(() => {
      const xs = tf.tensor4d(x, [n, this.arch.size, this.arch.size, this.arch.imageChannels]);
      const post = encode(this.arch, this.params, xs);
      const mean = decode(this.arch, this.params, reparameterize(post, tf.tensor2d(eps, [n, this.arch.latent])));
      return {
        recon: discretizedLogisticNll(xs, mean, logScale(this.params)).dataSync() as Float32Array,
        kl: gaussianKl(post.mu, post.logvar).dataSync() as Float32Array,
      };
    });
  }

  /** Posterior means and log-variances for a batch of [-1, 1] images. */
  encode(x: Float32Array): { mu: Float32Array; logvar: Float32Array } {
    // ONNX Runtime when it is the backend, else the TF.js fast path (fused ops); same results as vae.encode.
    return this.viaOnnx((o) => o.encode(x), () => inferenceFor(this).encode(x));
  }

  /**
   * Decodes latents (n × latent) to 8-bit images, packed HWC: RGB, or straight (not premultiplied) RGBA for a
   * 4-channel model, ready to write or show.
   */
  decode(z: Float32Array): Uint8Array {
    // Inference fast path: weights prepared once per set of weights, rebuilt automatically when any variable is
    // reassigned (load, training steps). See ./inference.
    const pixels = this.viaOnnx((o) => toPixels(o.decodeMean(z)), () => inferenceFor(this).decodePixels(z));
    return this.arch.imageChannels === 4 ? unpremultiply(pixels) : pixels;
  }

  /** Channels per pixel of decode's output (and of the images encode's inputs are gathered from): 3 or 4. */
  get imageChannels(): 3 | 4 {
    return this.arch.imageChannels;
  }

  /** Decoder mean in [-1, 1], premultiplied colour for a 4-channel model (for PSNR and tests). */
  decodeMean(z: Float32Array): Float32Array {
    return this.viaOnnx((o) => o.decodeMean(z), () => inferenceFor(this).decodeMean(z));
  }

  private onnxInference: OnnxVaeInference | null = null;

  /** ONNX inference when it is enabled and works for this model; TF.js otherwise (also after ONNX failed). */
  private viaOnnx<T>(onnx: (o: OnnxVaeInference) => T, tfjs: () => T): T {
    if (!onnxInferenceEnabled()) return tfjs();
    this.onnxInference ??= new OnnxVaeInference(this.arch, this.params);
    if (!this.onnxInference.usable) return tfjs();
    try {
      return onnx(this.onnxInference);
    } catch (error) {
      if (!this.onnxInference.usable) return tfjs();
      throw error;
    }
  }

  /**
   * A density fitted to what the model learned (the training images' posterior means), saved with the weights;
   * null until fitted (older checkpoints), when samples come from N(0, I).
   */
  prior: GaussianMixture | null = null;

  /** Latents to sample from: the fitted prior unless `standard` is asked for (or none was fitted). */
  samplePrior(count: number, seed: number, temperature = 1, which: PriorChoice = 'fitted'): { z: Float32Array; prior: 'fitted' | 'standard' } {
    if (which === 'fitted' && this.prior) return { z: sampleGaussianMixture(this.prior, count, seed, temperature), prior: 'fitted' };
    return { z: new Rng(seed).normals(count * this.arch.latent, temperature), prior: 'standard' };
  }

  serialize(): Buffer {
    const entries = paramEntries(this.params);
    return packTensors(this.prior ? [...entries, ...priorEntries(this.prior)] : entries);
  }

  load(blob: Uint8Array): void {
    loadParams(this.params, blob);
    this.prior = priorFromEntries(unpackTensors(blob), this.arch.latent);
  }

  dispose(): void {
    this.onnxInference?.dispose();
    releaseInference(this);
    disposeParams(this.params);
  }
}
