// Chooses what runs the training steps: ONNX Runtime sessions when the backend is onnx, else (or when ONNX
// Runtime cannot run the model) TF.js replicas. Both use one thread (session or replica) per core by default: measured
// faster here than one session's own intra-op threads.
import { availableParallelism } from 'node:os';
import type { Adam } from '../../ml/adam';
import type { BackendReport } from '../../ml/backends';
import { OnnxTrainer } from '../../ml/onnx/trainer';
import { DataParallelTrainer } from '../../ml/parallel/data-parallel';
import type { TrainableModel, TrainingStepper } from '../../ml/trainable';

const MAX_DEFAULT_THREADS = 8;

export function defaultThreads(): number {
  return Math.min(MAX_DEFAULT_THREADS, availableParallelism());
}

export async function createStepper(
  model: TrainableModel,
  adam: Adam,
  backend: BackendReport,
  opts: { lr: number; batchSize: number; threads?: number; exampleDims: number },
  notice?: (line: string) => void,
): Promise<TrainingStepper> {
  const threads = opts.threads ?? defaultThreads();
  if (backend.name === 'onnx') {
    try {
      return await OnnxTrainer.create(model, adam, { ...opts, threads, provider: backend.provider });
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      notice?.(`ONNX Runtime could not train this model (${why}); training on TF.js (${backend.tfjs}) instead`);
    }
  }
  // libtensorflow already spreads each op over the cores; the WebAssembly and JS backends need one replica per core.
  const replicas = backend.tfjs === 'wasm' || backend.tfjs === 'cpu' ? threads : 1;
  return DataParallelTrainer.create(model, replicas, backend.tfjs === 'wasm' ? 'wasm' : 'cpu');
}
