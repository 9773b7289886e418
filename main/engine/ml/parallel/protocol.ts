// Messages between the engine and its model workers (training gradients, denoising tiles). Tensors travel as flat Float32Arrays in the model's
// parameter order (transferred, not copied).
import type { BackendChoice } from '../backends';
import type { LossTerms, ModelSpec, TrainBatch } from '../trainable';

export type ToWorker =
  | { type: 'init'; spec: ModelSpec; backend: BackendChoice }
  | { type: 'step'; weights: Float32Array; batch: TrainBatch; klWeight: number }
  /** Inference replicas (the denoiser's tile workers): set the weights once, then denoise tiles. */
  | { type: 'load'; weights: Float32Array }
  | { type: 'denoise'; image: Float32Array; width: number; height: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'grads'; grads: Float32Array; terms: LossTerms }
  | { type: 'loaded' }
  | { type: 'denoised'; image: Float32Array }
  | { type: 'error'; message: string };
