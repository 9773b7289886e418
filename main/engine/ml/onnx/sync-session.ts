// A synchronous ONNX Runtime session for interactive inference (live decode, encode, denoise tiles). The package's
// public `run` is the same native call deferred by setImmediate; the engine's inference API is synchronous, so it
// uses the binding under it. The package version is pinned (package.json) and this file is the only user of the
// binding: if its shape ever changes, `syncOrt()` returns null and inference stays on TF.js, with the reason.
import { createRequire } from 'node:module';
import type * as Ort from 'onnxruntime-node';
import { oneLine } from './runtime';

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, Ort.Tensor>, fetches: Record<string, null>, options: object): Record<string, Ort.Tensor>;
  dispose(): void;
  readonly outputMetadata: { name: string }[];
}
interface Binding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
}

const nodeRequire = createRequire(import.meta.url);
let loaded: { ort: typeof Ort; native: Binding } | null | undefined;
let failure = '';

/** The package and its native binding, or null (see `syncOrtFailure`). */
export function syncOrt(): { ort: typeof Ort; native: Binding } | null {
  if (loaded !== undefined) return loaded;
  try {
    const ort = nodeRequire('onnxruntime-node') as typeof Ort;
    const native = nodeRequire('onnxruntime-node/dist/binding.js') as Binding;
    if (typeof native.binding?.InferenceSession !== 'function' || typeof native.initOrt !== 'function') throw new Error('unexpected binding shape');
    loaded = { ort, native };
  } catch (err) {
    failure = oneLine(err);
    loaded = null;
  }
  return loaded;
}

export function syncOrtFailure(): string {
  return failure;
}

export class SyncSession {
  private readonly outputs: Record<string, null>;

  private constructor(
    readonly ort: typeof Ort,
    private readonly native: NativeSession,
  ) {
    this.outputs = Object.fromEntries(native.outputMetadata.map((m) => [m.name, null]));
  }

  /** Throws a one-line Error when ONNX Runtime is unavailable or rejects the model. */
  static create(model: Uint8Array, threads = 1): SyncSession {
    const m = syncOrt();
    if (!m) throw new Error(`ONNX Runtime is unavailable: ${failure}`);
    m.native.initOrt();
    const native = new m.native.binding.InferenceSession();
    try {
      native.loadModel(model.buffer, model.byteOffset, model.byteLength, {
        executionProviders: ['cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        executionMode: 'sequential',
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      });
    } catch (err) {
      throw new Error(`ONNX Runtime rejected a model: ${oneLine(err)}`);
    }
    return new SyncSession(m.ort, native);
  }

  run(feeds: Record<string, Float32Array | { values: Float32Array; dims: number[] }>, dims: Record<string, number[]>): Record<string, Float32Array> {
    const tensors: Record<string, Ort.Tensor> = {};
    for (const [name, v] of Object.entries(feeds)) {
      tensors[name] = v instanceof Float32Array ? new this.ort.Tensor('float32', v, dims[name]) : new this.ort.Tensor('float32', v.values, v.dims);
    }
    const out = this.native.run(tensors, this.outputs, {});
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
  }

  dispose(): void {
    this.native.dispose();
  }
}
