// Messages between the trainer and its gradient workers. Tensors travel as flat Float32Arrays in the model's
// parameter order (transferred, not copied).
import type { ModelConfig } from '../architecture';
import type { BackendChoice } from '../backends';
import type { LossTerms } from '../model';

export type ToWorker =
  | { type: 'init'; config: ModelConfig; backend: BackendChoice }
  | { type: 'step'; weights: Float32Array; x: Float32Array; eps: Float32Array; klWeight: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'grads'; grads: Float32Array; terms: LossTerms }
  | { type: 'error'; message: string };
