// Large inference batches on every core. ONNX Runtime's intra-op threads barely speed up these small
// convolutions (64 decodes at 64×64: 30 → 28 ms with two threads), while a second single-threaded session in
// another thread, given half the rows, halves the time. The engine's inference API is synchronous, so the split
// is too: each helper thread holds a copy of the session and gets its rows through shared memory; this thread
// computes its own share, then blocks (Atomics.wait) until the helpers' shares are in. A helper that has not
// loaded a model yet is simply not used, and one that fails or stops answering has its rows computed here.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerEntry } from '../parallel/worker-entry';
import type { ToInferenceWorker } from './inference-worker';

/** Below this many rows per thread, handing rows over costs more than it saves. */
export const MIN_ROWS_PER_THREAD = 4;
const MAX_THREADS = 8;
/** How long this thread waits for a helper's rows before computing them itself. */
const HELPER_TIMEOUT_MS = 30_000;

export type RowRunner = (rows: Float32Array, count: number) => Record<string, Float32Array>;

interface RunRequest {
  /** The model, as loaded with `load`. */
  key: string;
  /** The graph input that carries the rows, and the shape of one row. */
  input: string;
  rowShape: number[];
  /** Each output's values per row. */
  outputs: Record<string, number>;
}

class Helper {
  private readonly worker: Worker;
  /** Models handed over, by the order they were sent in. */
  private readonly sent = new Map<string, number>();
  private sequence = 0;
  /** [0]: run done (1) or failed (2); [1]: how many models the worker has taken in (it loads them in order). */
  private readonly flag = new Int32Array(new SharedArrayBuffer(8));
  private readonly buffers = new Map<string, SharedArrayBuffer>();
  broken = false;

  constructor() {
    const entry = workerEntry(new URL('./inference-worker.ts', import.meta.url), 'onnx-inference-worker.js', import.meta.url);
    this.worker = new Worker(entry.url, { execArgv: entry.execArgv });
    this.worker.on('error', () => (this.broken = true));
    this.worker.on('exit', () => (this.broken = true));
    this.worker.unref(); // never keeps the process alive
  }

  private post(message: ToInferenceWorker): void {
    if (!this.broken) this.worker.postMessage(message);
  }

  load(key: string, model: Uint8Array): void {
    this.sent.set(key, ++this.sequence);
    this.post({ type: 'load', key, model, progress: this.flag.buffer as SharedArrayBuffer });
  }

  /** Read from shared memory, so it does not wait for this thread's event loop. */
  has(key: string): boolean {
    const seq = this.sent.get(key);
    return !this.broken && seq !== undefined && Atomics.load(this.flag, 1) >= seq;
  }

  forget(key: string): void {
    this.sent.delete(key);
    this.post({ type: 'drop', key });
  }

  /** A shared buffer of at least `floats` values, reused between runs. */
  private buffer(name: string, floats: number): Float32Array {
    let sab = this.buffers.get(name);
    if (!sab || sab.byteLength < floats * 4) {
      sab = new SharedArrayBuffer(Math.ceil(floats * 1.25) * 4);
      this.buffers.set(name, sab);
    }
    return new Float32Array(sab, 0, floats);
  }

  start(req: RunRequest, rows: Float32Array, count: number): void {
    const input = this.buffer('in', rows.length);
    input.set(rows);
    const outputs = Object.fromEntries(Object.entries(req.outputs).map(([name, perRow]) => [name, this.buffer(`out:${name}`, perRow * count).buffer as SharedArrayBuffer]));
    Atomics.store(this.flag, 0, 0);
    this.post({ type: 'run', key: req.key, input: req.input, dims: [count, ...req.rowShape], rows: input.buffer as SharedArrayBuffer, length: rows.length, outputs, flag: this.flag.buffer as SharedArrayBuffer });
  }

  /** The rows' outputs, or null when the helper failed (it is then not used again if it stopped answering). */
  finish(req: RunRequest, count: number): Record<string, Float32Array> | null {
    if (Atomics.wait(this.flag, 0, 0, HELPER_TIMEOUT_MS) === 'timed-out') {
      this.broken = true;
      return null;
    }
    if (Atomics.load(this.flag, 0) !== 1) return null;
    return Object.fromEntries(Object.entries(req.outputs).map(([name, perRow]) => [name, this.buffer(`out:${name}`, perRow * count)]));
  }

  stop(): Promise<number> {
    this.broken = true;
    return this.worker.terminate();
  }
}

export class InferencePool {
  private readonly helpers: Helper[];
  /** Rows computed on helper threads so far (for tests and diagnostics). */
  rowsOnHelpers = 0;

  constructor(helperCount: number) {
    this.helpers = Array.from({ length: helperCount }, () => new Helper());
  }

  /** Hands every helper a copy of the model; each is used for it once it has loaded it (in the background). */
  load(key: string, model: Uint8Array): void {
    for (const h of this.helpers) h.load(key, model.slice());
  }

  /** How many helpers can run `key` now. */
  ready(key: string): number {
    return this.helpers.filter((h) => h.has(key)).length;
  }

  drop(key: string): void {
    for (const h of this.helpers) h.forget(key);
  }

  /** Runs `n` rows: a share here through `local`, the rest on the helpers that have `req.key` loaded. */
  run(req: RunRequest, rows: Float32Array, n: number, local: RowRunner): Record<string, Float32Array> {
    const ready = this.helpers.filter((h) => h.has(req.key)).slice(0, Math.max(0, Math.floor(n / MIN_ROWS_PER_THREAD) - 1));
    if (ready.length === 0) return local(rows, n);
    const perRowIn = rows.length / n;
    const share = Math.ceil(n / (ready.length + 1));
    const ranges = ready.map((_, i) => [share * (i + 1), Math.min(n, share * (i + 2))] as const);
    ready.forEach((h, i) => h.start(req, rows.subarray(ranges[i][0] * perRowIn, ranges[i][1] * perRowIn), ranges[i][1] - ranges[i][0]));
    const mine = local(rows.subarray(0, share * perRowIn), share);
    const out = Object.fromEntries(Object.entries(req.outputs).map(([name, perRow]) => [name, new Float32Array(n * perRow)]));
    for (const [name, values] of Object.entries(mine)) out[name]?.set(values);
    ready.forEach((h, i) => {
      const [from, to] = ranges[i];
      const done = h.finish(req, to - from);
      if (done) this.rowsOnHelpers += to - from;
      const part = done ?? local(rows.subarray(from * perRowIn, to * perRowIn), to - from);
      for (const [name, perRow] of Object.entries(req.outputs)) out[name].set(part[name].subarray(0, (to - from) * perRow), from * perRow);
    });
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.helpers.map((h) => h.stop()));
  }
}

let shared: InferencePool | null | undefined;

/** The process's pool: one helper per further core (none on one core, or with VAE_STUDIO_INFERENCE_THREADS=1). */
export function inferencePool(): InferencePool | null {
  if (shared !== undefined) return shared;
  const threads = Math.min(MAX_THREADS, Number(process.env.VAE_STUDIO_INFERENCE_THREADS) || availableParallelism());
  try {
    shared = threads > 1 ? new InferencePool(threads - 1) : null;
  } catch {
    shared = null; // no worker script in this installation: everything runs on this thread
  }
  return shared;
}
