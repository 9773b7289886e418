// The sampling prior's fit on a thread of its own (./fit-worker.ts) when the engine runs on ONNX Runtime: the
// same code and kernels as a fit on the engine's thread, so the same mixture, while that thread keeps answering
// (live decoding, progress, a stop). Anything wrong with the thread (missing bundle, ONNX Runtime refusing to
// load there, a crash) falls back to fitting here: slower to answer, same result.
import { onnxInferenceEnabled } from '../onnx/vae-inference';
import { RequestWorker } from '../parallel/request-worker';
import { workerEntry } from '../parallel/worker-entry';
import type { FromFitWorker, ToFitWorker } from './fit-worker';
import { type FitOptions, fitGaussianMixture, type GaussianMixture } from './gmm';

class FitWorker extends RequestWorker<ToFitWorker, FromFitWorker> {
  constructor() {
    super(workerEntry(new URL('./fit-worker.ts', import.meta.url), 'prior-fit-worker.js', import.meta.url));
  }

  close(): Promise<void> {
    return this.stopGracefully({ type: 'close' });
  }
}

async function fitOnThread(x: Float32Array, n: number, d: number, opts: FitOptions): Promise<GaussianMixture> {
  const worker = new FitWorker();
  try {
    const reply = await worker.request({ type: 'fit', x, n, d, opts });
    if (reply.type !== 'fitted') throw new Error(`The prior's fitting thread answered ${reply.type}`);
    return reply.mixture;
  } finally {
    await worker.close();
  }
}

/** fitGaussianMixture off the calling thread where ONNX Runtime runs the kernels; else (or on failure) on it. */
export async function fitGaussianMixtureAsync(x: Float32Array, n: number, d: number, opts: FitOptions = {}): Promise<GaussianMixture> {
  if (onnxInferenceEnabled() && opts.onnx !== false) {
    try {
      return await fitOnThread(x, n, d, opts);
    } catch (error) {
      // The fit below gives the same mixture.
      if (process.env.VAE_STUDIO_DEBUG) process.stderr.write(`The prior's fitting thread failed, fitting here: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return fitGaussianMixture(x, n, d, opts);
}
