// Messages between the ONNX trainer and its worker threads. Parameters, moments and gradients never travel:
// they live in shared buffers; only each step's batch slice and scalars do.
import type { ModelSpec } from '../trainable';
import type { AdamHyper, SharedBuffers } from './shared-state';

export type ToOnnxWorker =
  | { type: 'init'; spec: ModelSpec; exampleDims: number; n: number; buffers: SharedBuffers; slot: number }
  | { type: 'grads'; arrays: Float32Array[]; klWeight: number }
  | { type: 'adam'; weights: number[]; from: number; to: number; hyper: AdamHyper }
  | { type: 'close' };

export type FromOnnxWorker =
  | { type: 'ready' }
  | { type: 'terms'; recon: number; kl: number }
  | { type: 'updated' }
  | { type: 'closed' }
  | { type: 'error'; message: string };
