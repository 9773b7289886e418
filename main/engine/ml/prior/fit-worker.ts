// A thread that fits one sampling prior (./gmm.ts) with ONNX Runtime's kernels and exits: the engine's own thread
// stays free to answer while a large set's fit runs (~7 s for 100 components on 2,048 images).
import { parentPort } from 'node:worker_threads';
import { fitGaussianMixture, type FitOptions } from './gmm';

export interface FitRequest {
  x: Float32Array;
  n: number;
  d: number;
  opts: FitOptions;
}

parentPort!.once('message', (m: FitRequest) => {
  try {
    const mixture = fitGaussianMixture(m.x, m.n, m.d, { ...m.opts, onnx: true });
    if (process.env.VAE_STUDIO_DEBUG) process.stderr.write(`prior fitted on its own thread: ${mixture.k} components\n`);
    parentPort!.postMessage({ type: 'fitted', mixture }, [mixture.weights.buffer, mixture.means.buffer, mixture.chol.buffer] as ArrayBuffer[]);
  } catch (error) {
    parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
  // Exit on our own, the sessions already released: terminating a thread inside ONNX Runtime can crash the process.
  parentPort!.close();
});
