/**
 * Inference fast path for a VAE: what VaeModel.decode / decodeMean / encode run.
 *
 * Per model, a VaeInference keeps a decoder plan (decoder.ts: phase filters of every transposed conv, tiled and
 * pre-scaled last-layer weights, PReLU slope constants) built ONCE per set of weights and reused by every call,
 * and the encoder's slope constants (encoder.ts). Results match vae.decode / vae.encode to float rounding
 * (decoder ≲ 1e-6 in [-1, 1] units; tested to ≤ 1e-4).
 *
 * When the plan is rebuilt (weights changed):
 *  - Automatically, whenever any decoder parameter holds different data than when the plan was built. Every
 *    TF.js write to a variable (Variable.assign: VaeModel.load, loadParams, Adam.apply, assignFlat) gives it a
 *    new dataId, and each call compares the variables' dataIds with the plan's (a few reference comparisons),
 *    so no caller has to do anything after training steps or loads.
 *  - Explicitly, by invalidateInference(model) (or inferenceFor(model).invalidate()): needed only by code that
 *    changes weights WITHOUT Variable.assign (writing into a backend's memory in place); it also frees the plan's
 *    tensors at once.
 *  - When the active TF.js backend changes.
 * Each rebuild increments `builds` (for tests and diagnostics).
 *
 * Lifetime: the plan's tensors (the decoder's conv weights once more, 2.8 MB for the 64×64 model, plus the
 * backend's packed copies of them) live until the next rebuild, releaseInference(model) (call it where the
 * model is disposed), or the model object being garbage-collected (FinalizationRegistry), whichever is first.
 *
 * Backends: the fast path runs on wasm (its target: persistent filters keep XNNPACK's operator cache warm) and
 * cpu. Others (tensorflow, tensorflow-gpu) keep the training graph's decoder/encoder (vae.ts): their native
 * conv2dTranspose is fast and the fused ops here are untested there.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Architecture } from '../architecture';
import { toPixels } from '../batches';
import type { Params } from '../params';
import { decode, encode } from '../vae';
import { buildDecoderPlan, type DecoderPlan, disposeDecoderPlan, readMean, readPixels, runDecoder } from './decoder';
import { buildEncoderPlan, disposeEncoderPlan, type EncoderPlan, runEncoder } from './encoder';

/** What the fast path needs of a model (VaeModel satisfies it). */
export interface InferenceModel {
  readonly arch: Architecture;
  readonly params: Params;
}

const FAST_BACKENDS = new Set(['wasm', 'cpu']);

export class VaeInference {
  private decoder: { plan: DecoderPlan; backend: string; dataIds: object[] } | null = null;
  private encoder: { plan: EncoderPlan; backend: string } | null = null;
  private rebuilds = 0;

  constructor(
    readonly arch: Architecture,
    readonly params: Params,
  ) {}

  /** How many times the decoder plan has been built (first build included). */
  get builds(): number {
    return this.rebuilds;
  }

  /** Whether the fast path runs on the active backend (otherwise the training graph's ops do). */
  static supportsBackend(name = tf.getBackend()): boolean {
    return FAST_BACKENDS.has(name);
  }

  /** Whether the hand-planned TF.js passes serve this model (they know the classic network only). */
  private planned(backend: string): boolean {
    return this.arch.network === 'classic' && VaeInference.supportsBackend(backend);
  }

  /** Decodes latents (n × latent) to the model's 8-bit values (RGB, or premultiplied RGBA), packed HWC. */
  decodePixels(z: Float32Array): Uint8Array {
    if (z.length === 0) return new Uint8Array(0);
    const plan = this.decoderPlan();
    if (plan == null) return toPixels(this.decodeMeanSlow(z));
    const y = runDecoder(plan, z);
    try {
      return readPixels(plan, y);
    } finally {
      y.dispose();
    }
  }

  /** Decoder mean in [-1, 1], NHWC. */
  decodeMean(z: Float32Array): Float32Array {
    if (z.length === 0) return new Float32Array(0);
    const plan = this.decoderPlan();
    if (plan == null) return this.decodeMeanSlow(z);
    const y = runDecoder(plan, z);
    try {
      return readMean(plan, y);
    } finally {
      y.dispose();
    }
  }

  /** Posterior means and log-variances for a batch of [-1, 1] NHWC images. */
  encode(x: Float32Array): { mu: Float32Array; logvar: Float32Array } {
    if (x.length === 0) return { mu: new Float32Array(0), logvar: new Float32Array(0) };
    const backend = tf.getBackend();
    if (!this.planned(backend)) return this.encodeSlow(x);
    if (this.encoder?.backend !== backend) {
      if (this.encoder) disposeEncoderPlan(this.encoder.plan);
      this.encoder = null;
      this.encoder = { plan: buildEncoderPlan(this.arch), backend };
    }
    return runEncoder(this.encoder.plan, this.params, x);
  }

  /** Drops the decoder plan now; the next decode rebuilds it from the current weights. */
  invalidate(): void {
    if (this.decoder) disposeDecoderPlan(this.decoder.plan);
    this.decoder = null;
  }

  /** Frees every tensor this object holds. It stays usable (the next call rebuilds). */
  dispose(): void {
    this.invalidate();
    if (this.encoder) disposeEncoderPlan(this.encoder.plan);
    this.encoder = null;
  }

  /** The decoder's parameters whose data a plan is built from or uses. */
  private decoderDataIds(): object[] {
    const ids: object[] = [];
    for (const [name, v] of this.params) if (name.startsWith('dec')) ids.push(v.dataId);
    return ids;
  }

  /** The current plan, rebuilt if the weights or the backend changed; null where the fast path does not run. */
  private decoderPlan(): DecoderPlan | null {
    const backend = tf.getBackend();
    if (!this.planned(backend)) {
      this.invalidate();
      return null;
    }
    const current = this.decoder;
    if (current != null && current.backend === backend) {
      const ids = this.decoderDataIds();
      if (ids.length === current.dataIds.length && ids.every((id, i) => id === current.dataIds[i])) {
        if (current.plan.dense.w.isDisposed) {
          this.invalidate();
          throw new Error('decode: the model has been disposed');
        }
        return current.plan;
      }
    }
    this.invalidate();
    const dataIds = this.decoderDataIds();
    const plan = buildDecoderPlan(this.arch, this.params);
    this.decoder = { plan, backend, dataIds };
    this.rebuilds++;
    return plan;
  }

  private decodeMeanSlow(z: Float32Array): Float32Array {
    const n = z.length / this.arch.latent;
    return tf.tidy(() => decode(this.arch, this.params, tf.tensor2d(z, [n, this.arch.latent])).dataSync() as Float32Array);
  }

  private encodeSlow(x: Float32Array): { mu: Float32Array; logvar: Float32Array } {
    const n = x.length / (this.arch.size * this.arch.size * this.arch.imageChannels);
    return tf.tidy(() => {
      const post = encode(this.arch, this.params, tf.tensor4d(x, [n, this.arch.size, this.arch.size, this.arch.imageChannels]));
      return { mu: post.mu.dataSync() as Float32Array, logvar: post.logvar.dataSync() as Float32Array };
    });
  }
}

const byModel = new WeakMap<InferenceModel, VaeInference>();
const finalizer = new FinalizationRegistry<VaeInference>((inference) => {
  try {
    inference.dispose();
  } catch {
    // the engine may already be gone at exit
  }
});

/** The model's inference state, created on first use. */
export function inferenceFor(model: InferenceModel): VaeInference {
  let inference = byModel.get(model);
  if (inference == null || inference.params !== model.params || inference.arch !== model.arch) {
    inference?.dispose();
    inference = new VaeInference(model.arch, model.params);
    byModel.set(model, inference);
    finalizer.register(model, inference, model);
  }
  return inference;
}

/**
 * Drops the model's prepared decoder now; the next decode rebuilds it. Only needed after changing weights
 * without Variable.assign (see the top of this file); harmless otherwise.
 */
export function invalidateInference(model: InferenceModel): void {
  byModel.get(model)?.invalidate();
}

/** Frees the model's inference tensors (call where the model is disposed; GC does it otherwise). */
export function releaseInference(model: InferenceModel): void {
  const inference = byModel.get(model);
  if (inference == null) return;
  inference.dispose();
  byModel.delete(model);
  finalizer.unregister(model);
}
