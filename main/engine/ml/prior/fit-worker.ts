// A thread that fits sampling priors (./gmm.ts) with ONNX Runtime's kernels: the engine's own thread stays free to
// answer while a large set's fit runs (~7 s for 100 components on 2,048 images).
import { parentPort } from 'node:worker_threads';
import { fitGaussianMixture, type FitOptions, type GaussianMixture } from './gmm';

export type ToFitWorker = { type: 'fit'; x: Float32Array; n: number; d: number; opts: FitOptions } | { type: 'close' };
export type FromFitWorker = { type: 'fitted'; mixture: GaussianMixture } | { type: 'closed' } | { type: 'error'; message: string };

parentPort!.on('message', (m: ToFitWorker) => {
  if (m.type === 'close') {
    // The kernels' sessions are released after each fit; the thread then exits on its own.
    parentPort!.postMessage({ type: 'closed' } satisfies FromFitWorker);
    parentPort!.close();
    return;
  }
  try {
    const mixture = fitGaussianMixture(m.x, m.n, m.d, { ...m.opts, onnx: true });
    if (process.env.VAE_STUDIO_DEBUG) process.stderr.write(`prior fitted on its own thread: ${mixture.k} components\n`);
    parentPort!.postMessage({ type: 'fitted', mixture } satisfies FromFitWorker, [mixture.weights.buffer, mixture.means.buffer, mixture.chol.buffer] as ArrayBuffer[]);
  } catch (error) {
    parentPort!.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies FromFitWorker);
  }
});
