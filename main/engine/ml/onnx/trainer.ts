// Training steps on ONNX Runtime, data-parallel: each thread (this one and one worker per extra core) runs a
// single-threaded session on its slice of the batch — measured faster than one session's intra-op threads —
// then each updates its range of the parameters with Adam from the size-weighted mean gradient. Parameters,
// moments and gradients live in shared memory in ONNX layouts; the TF.js model and optimizer receive them
// (sync) only for checkpoints, evaluation and previews, so a checkpoint is the same format on every backend.
import type { Adam } from '../adam';
import { loadParams, packTensors, type ParamSpec, unpackTensors } from '../params';
import { type LossTerms, type ModelSpec, sliceBatch, type TrainableModel, type TrainBatch, type TrainingStepper } from '../trainable';
import { RequestWorker } from '../parallel/request-worker';
import { workerEntry } from '../parallel/worker-entry';
import { GradientSession } from './gradient-session';
import { onnxTrainingModel } from './training-models';
import { fromOnnxLayout, toOnnxLayout } from './layout';
import { adamRange, type AdamHyper, allocateShared, layoutParams, type ParamSlot } from './shared-state';
import type { FromOnnxWorker, ToOnnxWorker } from './worker-protocol';

class OnnxWorker extends RequestWorker<ToOnnxWorker, FromOnnxWorker> {
  constructor() {
    super(workerEntry(new URL('./train-worker.ts', import.meta.url), 'onnx-train-worker.js', import.meta.url));
  }

  close(): Promise<void> {
    return this.stopGracefully({ type: 'close' });
  }
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

export class OnnxTrainer implements TrainingStepper {
  private adamStep = 0;
  /** Whether the model and optimizer already hold the current state (an epoch's end syncs, then its checkpoint does). */
  private synced = true;

  private constructor(
    private readonly model: TrainableModel,
    private readonly lr: number,
    private readonly specs: ParamSpec[],
    private readonly slots: ParamSlot[],
    private readonly total: number,
    private readonly views: { params: Float32Array; m: Float32Array; v: Float32Array; grads: Float32Array[] },
    private readonly bounds: number[],
    private readonly local: GradientSession,
    private readonly workers: OnnxWorker[],
  ) {}

  /**
   * A trainer for batches of `batchSize`, starting from the model's and optimizer's current state. `threads`
   * counts this thread: 2 means one worker. On a GPU provider one session takes the whole batch.
   */
  static async create(
    model: TrainableModel,
    adam: Adam,
    opts: { lr: number; batchSize: number; threads: number; exampleDims: number; provider?: string },
  ): Promise<OnnxTrainer> {
    const spec: ModelSpec = model.spec;
    const { specs } = onnxTrainingModel(spec, opts.exampleDims);
    const { slots, total } = layoutParams(specs);
    const onGpu = opts.provider != null && opts.provider !== 'cpu';
    const parts = onGpu ? 1 : Math.max(1, Math.min(opts.threads, opts.batchSize));
    const bounds = Array.from({ length: parts + 1 }, (_, i) => Math.round((i * opts.batchSize) / parts));
    const buffers = allocateShared(total, parts);
    const views = { params: new Float32Array(buffers.params), m: new Float32Array(buffers.m), v: new Float32Array(buffers.v), grads: buffers.grads.map((g) => new Float32Array(g)) };
    const workers = Array.from({ length: parts - 1 }, () => new OnnxWorker());
    const { exampleDims } = opts;
    let local: GradientSession | null = null;
    try {
      local = await GradientSession.create(spec, exampleDims, bounds[1], buffers, 0, { provider: opts.provider });
      await Promise.all(workers.map((w, i) => w.request({ type: 'init', spec, exampleDims, n: bounds[i + 2] - bounds[i + 1], buffers, slot: i + 1 })));
      const trainer = new OnnxTrainer(model, opts.lr, specs, slots, total, views, bounds, local, workers);
      trainer.loadState(adam);
      return trainer;
    } catch (error) {
      await Promise.all(workers.map((w) => w.close()));
      await local?.release();
      throw error;
    }
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  private loadState(adam: Adam): void {
    const weights = new Map(unpackTensors(this.model.serialize()).map((e) => [e.name, e]));
    const moments = new Map(unpackTensors(adam.serialize()).map((e) => [e.name, e]));
    for (const s of this.slots) {
      const at = (view: Float32Array) => view.subarray(s.offset, s.offset + s.size);
      const w = weights.get(s.name)!;
      toOnnxLayout(w.values, w.shape, at(this.views.params));
      toOnnxLayout(moments.get(`${s.name}/m`)!.values, w.shape, at(this.views.m));
      toOnnxLayout(moments.get(`${s.name}/v`)!.values, w.shape, at(this.views.v));
    }
    this.adamStep = moments.get('@step')!.values[0];
  }

  async step(_adam: Adam, batch: TrainBatch, klWeight: number): Promise<LossTerms> {
    const { n } = batch;
    const bounds = this.bounds;
    if (n !== bounds.at(-1)) throw new Error(`The ONNX trainer was built for batches of ${bounds.at(-1)}, got ${n}`);
    const remote = this.workers.map((w, i) => {
      const { arrays } = sliceBatch(batch, bounds[i + 1], bounds[i + 2]);
      return w.request({ type: 'grads', arrays, klWeight }, arrays.map((a) => a.buffer as ArrayBuffer));
    });
    const sizes = bounds.slice(1).map((b, i) => b - bounds[i]);
    const first = await this.local.run(bounds[1] === n ? batch.arrays : sliceBatch(batch, 0, bounds[1]).arrays, klWeight);
    const replies = await Promise.all(remote);
    let recon = first.recon * sizes[0];
    let kl = first.kl * sizes[0];
    replies.forEach((r, i) => {
      if (r.type !== 'terms') throw new Error('A training worker sent an unexpected reply');
      recon += r.recon * sizes[i + 1];
      kl += r.kl * sizes[i + 1];
    });
    recon /= n;
    kl /= n;
    if (Number.isFinite(recon + kl)) {
      this.synced = false;
      await this.applyAdam(sizes.map((s) => s / n));
    }
    return { recon, kl, total: recon + kl };
  }

  private async applyAdam(weights: number[]): Promise<void> {
    this.adamStep++;
    const t = this.adamStep;
    const hyper: AdamHyper = { beta1: BETA1, beta2: BETA2, eps: EPS, stepSize: this.lr / (1 - BETA1 ** t), sqrtBc2: Math.sqrt(1 - BETA2 ** t) };
    const parts = this.threads;
    const edge = (i: number) => Math.round((i * this.total) / parts);
    const remote = this.workers.map((w, i) => w.request({ type: 'adam', weights, from: edge(i + 1), to: edge(i + 2), hyper }));
    adamRange(this.views, weights, edge(0), edge(1), hyper);
    await Promise.all(remote);
  }

  sync(adam: Adam): void {
    if (this.synced) return;
    this.synced = true;
    const specs = this.specs;
    const read = (view: Float32Array, s: ParamSlot, shape: number[]) => fromOnnxLayout(view.subarray(s.offset, s.offset + s.size), shape, new Float32Array(s.size)) as Float32Array<ArrayBuffer>;
    loadParams(this.model.params, packTensors(this.slots.map((s, i) => ({ name: s.name, shape: specs[i].shape, values: read(this.views.params, s, specs[i].shape) }))));
    const moments = [{ name: '@step', shape: [1], values: Float32Array.of(this.adamStep) }];
    this.slots.forEach((s, i) => {
      moments.push({ name: `${s.name}/m`, shape: specs[i].shape, values: read(this.views.m, s, specs[i].shape) });
      moments.push({ name: `${s.name}/v`, shape: specs[i].shape, values: read(this.views.v, s, specs[i].shape) });
    });
    adam.load(packTensors(moments));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await this.local.release();
  }
}
