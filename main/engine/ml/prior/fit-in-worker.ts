// The sampling prior's fit on a thread of its own (./fit-worker.ts) when the engine runs on ONNX Runtime: the
// same code and kernels as a fit on the engine's thread, so the same mixture, while that thread keeps answering
// (live decoding, progress, a stop). Anything wrong with the thread (missing bundle, ONNX Runtime refusing to
// load there, a crash) falls back to fitting here: slower to answer, same result.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { onnxInferenceEnabled } from '../onnx/vae-inference';
import { workerEntry } from '../parallel/worker-entry';
import type { FitRequest } from './fit-worker';
import { type FitOptions, fitGaussianMixture, type GaussianMixture } from './gmm';

type Reply = { type: 'fitted'; mixture: GaussianMixture } | { type: 'error'; message: string };

/** How long a thread that has answered gets to exit by itself before it is ended. */
const EXIT_GRACE_MS = 10_000;

async function fitOnThread(request: FitRequest): Promise<GaussianMixture> {
  const entry = workerEntry(new URL('./fit-worker.ts', import.meta.url), 'prior-fit-worker.js', import.meta.url);
  const worker = new Worker(entry.url, { execArgv: entry.execArgv });
  const exited = once(worker, 'exit').catch(() => undefined);
  try {
    return await new Promise<GaussianMixture>((resolve, reject) => {
      worker.once('message', (m: Reply) => (m.type === 'fitted' ? resolve(m.mixture) : reject(new Error(m.message))));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The prior's fitting thread stopped (exit code ${code})`)));
      worker.postMessage(request);
    });
  } finally {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), EXIT_GRACE_MS)));
    if ((await Promise.race([exited, late])) === 'late') await worker.terminate();
    clearTimeout(timer);
  }
}

/** fitGaussianMixture off the calling thread where ONNX Runtime runs the kernels; else (or on failure) on it. */
export async function fitGaussianMixtureAsync(x: Float32Array, n: number, d: number, opts: FitOptions = {}): Promise<GaussianMixture> {
  if (onnxInferenceEnabled() && opts.onnx !== false) {
    try {
      return await fitOnThread({ x, n, d, opts });
    } catch (error) {
      // The fit below gives the same mixture.
      if (process.env.VAE_STUDIO_DEBUG) process.stderr.write(`The prior's fitting thread failed, fitting here: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  return fitGaussianMixture(x, n, d, opts);
}
