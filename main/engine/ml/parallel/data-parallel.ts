// Data-parallel training over worker threads. The WebAssembly backend computes on one thread, so each extra
// core gets a model replica in a worker: every step, the batch is split, each part's gradients are computed
// at the same time (this thread takes the first part), and their size-weighted mean feeds one Adam update
// here. Weights go out with each step, so replicas can never drift from the trainer's model.
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Adam } from '../adam';
import type { BackendChoice } from '../backends';
import { type LossTerms, sliceBatch, type TrainableModel, type TrainBatch } from '../trainable';
import { flatten, unflatten } from './flat-params';
import type { FromWorker, ToWorker } from './protocol';

/** The worker script: the bundled one next to the CLI, or the TypeScript source run through tsx. */
function workerEntry(): { url: URL; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { url: new URL('./gradient-worker.ts', here), execArgv: ['--import', 'tsx'] };
  for (const rel of ['./gradient-worker.js', '../gradient-worker.js']) {
    const url = new URL(rel, here);
    if (existsSync(fileURLToPath(url))) return { url, execArgv: [] };
  }
  throw new Error('The training worker (gradient-worker.js) is missing from this installation');
}

/** One worker thread holding a model replica; one request at a time. */
export class GradientWorker {
  private readonly worker: Worker;
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor() {
    const { url, execArgv } = workerEntry();
    this.worker = new Worker(url, { execArgv });
    this.worker.on('message', (m: FromWorker) => this.settle((p) => (m.type === 'error' ? p.reject(new Error(m.message)) : p.resolve(m))));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => code !== 0 && this.fail(new Error(`A training worker stopped unexpectedly (exit code ${code})`)));
  }

  private settle(fn: (p: NonNullable<GradientWorker['pending']>) => void): void {
    const p = this.pending;
    this.pending = null;
    if (p) fn(p);
  }

  private fail(error: Error): void {
    this.failure = error;
    this.settle((p) => p.reject(error));
  }

  request(message: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(message, transfer);
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await this.worker.terminate();
  }
}

export class DataParallelTrainer {
  private constructor(
    private readonly model: TrainableModel,
    private readonly workers: GradientWorker[],
  ) {}

  /** `threads` counts this thread too: 2 means one worker. */
  static async create(model: TrainableModel, threads: number, backend: BackendChoice): Promise<DataParallelTrainer> {
    const workers = Array.from({ length: Math.max(0, threads - 1) }, () => new GradientWorker());
    const trainer = new DataParallelTrainer(model, workers);
    try {
      await Promise.all(workers.map((w) => w.request({ type: 'init', spec: model.spec, backend })));
    } catch (error) {
      await trainer.close();
      throw error;
    }
    return trainer;
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  async step(adam: Adam, batch: TrainBatch, klWeight: number): Promise<LossTerms> {
    const { n } = batch;
    const parts = Math.min(this.threads, n);
    const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.round((i * n) / parts));
    const weights = parts > 1 ? flatten(this.model.params, (name) => this.model.params.get(name)!) : null;

    const remote = this.workers.slice(0, parts - 1).map((worker, i) => {
      const slice = sliceBatch(batch, bounds[i + 1], bounds[i + 2]);
      const message: ToWorker = {
        type: 'step',
        // The last worker takes the flattened weights themselves; earlier ones get copies (a transfer detaches).
        weights: i === parts - 2 ? weights! : weights!.slice(),
        batch: slice,
        klWeight,
      };
      return worker.request(message, [message.weights.buffer as ArrayBuffer, ...slice.arrays.map((a) => a.buffer as ArrayBuffer)]);
    });
    const local = this.model.batchGradients(bounds[1] === n ? batch : sliceBatch(batch, 0, bounds[1]), klWeight);
    const replies = await Promise.all(remote);

    const sizes = bounds.slice(1).map((b, i) => b - bounds[i]);
    const terms = { recon: local.terms.recon * sizes[0], kl: local.terms.kl * sizes[0] };
    const remoteGrads = replies.map((r, i) => {
      if (r.type !== 'grads') throw new Error('A training worker sent an unexpected reply');
      terms.recon += r.terms.recon * sizes[i + 1];
      terms.kl += r.terms.kl * sizes[i + 1];
      return unflatten(this.model.params, r.grads);
    });
    const mean: tf.NamedTensorMap = tf.tidy(() => {
      const out: tf.NamedTensorMap = {};
      for (const name of this.model.params.keys()) {
        let sum = tf.mul(local.grads[name], sizes[0]);
        remoteGrads.forEach((g, i) => (sum = tf.add(sum, tf.mul(g[name], sizes[i + 1]))));
        out[name] = tf.div(sum, n);
      }
      return out;
    });
    tf.dispose([...Object.values(local.grads), ...remoteGrads.flatMap((g) => Object.values(g))]);
    try {
      adam.apply(mean);
    } finally {
      tf.dispose(Object.values(mean));
    }
    const recon = terms.recon / n;
    const kl = terms.kl / n;
    return { recon, kl, total: recon + kl };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
