// Denoising on every core: the WebAssembly backend computes on one thread, so tiles go to model replicas in
// worker threads (one per core), each handed one tile at a time. With one thread, tiles run here.
import { availableParallelism } from 'node:os';
import type { BackendChoice } from '../backends';
import { flatten } from '../parallel/flat-params';
import { GradientWorker } from '../parallel/data-parallel';
import type { DenoiserModel } from './model';

const MAX_DEFAULT_THREADS = 8;

export class DenoiserTilePool {
  private readonly idle: GradientWorker[];
  private readonly waiting: ((w: GradientWorker) => void)[] = [];

  private constructor(
    private readonly model: DenoiserModel,
    private readonly workers: GradientWorker[],
  ) {
    this.idle = [...workers];
  }

  /** Replicas of `model`'s current weights; `threads` defaults to one per core. */
  static async create(model: DenoiserModel, backend: BackendChoice, threads = Math.min(MAX_DEFAULT_THREADS, availableParallelism())): Promise<DenoiserTilePool> {
    const workers = threads > 1 ? Array.from({ length: threads }, () => new GradientWorker()) : [];
    const pool = new DenoiserTilePool(model, workers);
    try {
      const weights = flatten(model.params, (name) => model.params.get(name)!);
      await Promise.all(
        workers.map(async (w) => {
          await w.request({ type: 'init', spec: model.spec, backend });
          await w.request({ type: 'load', weights: weights.slice() });
        }),
      );
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Tiles that can usefully run at once. */
  get concurrency(): number {
    return Math.max(1, this.workers.length);
  }

  /** Denoises one HWC RGB tile in [0, 1] (the tile function for processTiled). */
  async denoise(tile: Float32Array, width: number, height: number): Promise<Float32Array> {
    if (this.workers.length === 0) return this.model.denoise(tile, width, height);
    const worker = this.idle.pop() ?? (await new Promise<GradientWorker>((resolve) => this.waiting.push(resolve)));
    try {
      const reply = await worker.request({ type: 'denoise', image: tile, width, height }, [tile.buffer as ArrayBuffer]);
      if (reply.type !== 'denoised') throw new Error('A denoising worker sent an unexpected reply');
      return reply.image;
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
