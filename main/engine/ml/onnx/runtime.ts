// Loads ONNX Runtime (onnxruntime-node: native CPU binaries in its npm package) on first use and creates
// sessions. A missing package or binary, or a model it rejects, becomes a one-line reason, never a crash.
import type * as Ort from 'onnxruntime-node';

export type OrtModule = typeof Ort;
let loading: Promise<OrtModule> | null = null;

/** An error's first non-empty line (native libraries add stack traces and banners below it). */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').map((l) => l.trim()).filter(Boolean)[0] ?? 'unknown error';
}

/** The onnxruntime-node module, loaded once; rejects with a one-line reason when it cannot load here. */
export function loadOrt(): Promise<OrtModule> {
  loading ??= import('onnxruntime-node').then(
    (m) => ((m as { default?: OrtModule }).default ?? m) as OrtModule,
    (err) => {
      throw new Error(`onnxruntime-node failed to load: ${oneLine(err)}`);
    },
  );
  return loading;
}

export interface SessionOptions {
  /** Threads inside one operator (intra-op); the engine runs one session per core instead where it can. */
  threads: number;
  /** Execution provider ("cpu" unless a GPU one was probed to work; see ./probe.ts). */
  provider?: string;
}

export async function createSession(model: Uint8Array, opts: SessionOptions): Promise<Ort.InferenceSession> {
  const ort = await loadOrt();
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: opts.provider && opts.provider !== 'cpu' ? [opts.provider, 'cpu'] : ['cpu'],
      intraOpNumThreads: opts.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      // Spinning threads burn the other cores the training workers need.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  } catch (err) {
    throw new Error(`ONNX Runtime rejected a model: ${oneLine(err)}`);
  }
}
