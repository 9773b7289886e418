// What the training loop and its worker threads need from a model, whatever its kind: named parameters, the
// gradients of a batch, and a description (spec) from which a worker builds an identical replica.
import type * as tf from '@tensorflow/tfjs-core';
import type { ModelConfig } from './architecture';
import type { DenoiserConfig } from './denoiser/architecture';
import type { Adam } from './adam';
import type { Params } from './params';

export interface LossTerms {
  /** Mean reconstruction NLL, nats per image. */
  recon: number;
  /** Mean KL, nats per image. */
  kl: number;
  /** Mean negative ELBO (recon + KL, unweighted), nats per image. */
  total: number;
}

/** A batch of n examples as parallel arrays; each array holds n equal-length slices (split across threads). */
export interface TrainBatch {
  n: number;
  arrays: Float32Array[];
}

export type ModelSpec = { kind: 'vae'; config: ModelConfig } | { kind: 'denoiser'; config: DenoiserConfig };

export interface TrainableModel {
  readonly spec: ModelSpec;
  readonly params: Params;
  /** Gradients of the batch-mean loss (recon + klWeight·KL) by parameter name; the caller disposes them. */
  batchGradients(batch: TrainBatch, klWeight: number): { grads: tf.NamedTensorMap; terms: LossTerms };
  serialize(): Buffer;
  load(blob: Uint8Array): void;
  dispose(): void;
}

/** Examples [from, to) of a batch, as copies (safe to transfer to a worker). */
export function sliceBatch(batch: TrainBatch, from: number, to: number): TrainBatch {
  return { n: to - from, arrays: batch.arrays.map((a) => a.slice((from * a.length) / batch.n, (to * a.length) / batch.n)) };
}

/** What runs the training steps: TF.js replicas (parallel/data-parallel.ts) or ONNX Runtime sessions (onnx/trainer.ts). */
export interface TrainingStepper {
  /** Threads computing each step. */
  readonly threads: number;
  /** One optimizer step on a batch; returns the batch's loss terms. */
  step(adam: Adam, batch: TrainBatch, klWeight: number): Promise<LossTerms>;
  /** Makes the model and the optimizer hold the current state (before checkpoints, evaluation and previews). */
  sync(adam: Adam): void;
  close(): Promise<void>;
}
