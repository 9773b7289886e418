// Data-parallel training over worker threads. The WebAssembly backend computes on one thread, so each extra
// core gets a model replica in a worker: every step, the batch is split, each part's gradients are computed
// at the same time (this thread takes the first part), and their size-weighted mean feeds one Adam update
// here. Weights go out with each step, so replicas can never drift from the trainer's model.
import * as tf from '@tensorflow/tfjs-core';
import type { Adam } from '../adam';
import type { BackendChoice } from '../backends';
import { type LossTerms, sliceBatch, type TrainableModel, type TrainBatch, type TrainingStepper } from '../trainable';
import { flatten, unflatten } from './flat-params';
import type { FromWorker, ToWorker } from './protocol';
import { RequestWorker } from './request-worker';
import { workerEntry } from './worker-entry';

/** A worker thread holding a TF.js model replica (training gradients, denoising tiles). */
export class GradientWorker extends RequestWorker<ToWorker, FromWorker> {
  constructor() {
    super(workerEntry(new URL('./gradient-worker.ts', import.meta.url), 'gradient-worker.js', import.meta.url));
  }

  async close(): Promise<void> {
    await this.stop({ type: 'close' });
  }
}

export class DataParallelTrainer implements TrainingStepper {
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

  /** The model and optimizer are updated in place every step. */
  sync(): void {}

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
