// A VAE's encoder and decoder on ONNX Runtime, with the weights baked into each graph (so the runtime pre-packs
// them once). Used by VaeModel when the active backend is onnx; sessions are rebuilt when the weights change
// (compared by the TF.js variables' data ids, as the TF.js fast path does) and released with the model.
import type { Architecture } from '../architecture';
import type { Params } from '../params';
import { paramSpecs } from '../params';
import { onnxWeights } from './layout';
import { inferencePool, MIN_ROWS_PER_THREAD } from './inference-pool';
import { encodeModel } from './proto';
import { SyncSession } from './sync-session';
import { vaeDecoderGraph, vaeEncoderGraph, type Weights } from './vae-graphs';

type Part = 'enc' | 'dec';
let instances = 0;

export class OnnxVaeInference {
  /** Each part's session; `model` stays until the inference pool is handed it (see `run`). */
  private readonly sessions = new Map<Part, { session: SyncSession; dataIds: object[]; key: string; model: Uint8Array | null }>();
  private readonly id = ++instances;
  private versions = 0;
  /** Why ONNX Runtime could not run this model, once it failed (callers then use TF.js). */
  failure: string | null = null;

  get usable(): boolean {
    return this.failure == null;
  }

  constructor(
    private readonly arch: Architecture,
    private readonly params: Params,
  ) {}

  private dataIds(part: Part): object[] {
    return [...this.params].filter(([name]) => name.startsWith(part)).map(([, v]) => v.dataId);
  }

  private session(part: Part): SyncSession {
    const ids = this.dataIds(part);
    const current = this.sessions.get(part);
    if (current && current.dataIds.every((id, i) => id === ids[i])) return current.session;
    this.release(current);
    const specs = paramSpecs(this.arch);
    const weights: Weights = onnxWeights(this.params, specs.filter((s) => s.name.startsWith(part)));
    const graph = part === 'dec' ? vaeDecoderGraph(this.arch, specs, weights) : vaeEncoderGraph(this.arch, specs, weights);
    const model = encodeModel(graph);
    let session: SyncSession;
    try {
      session = SyncSession.create(model);
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      throw error;
    }
    this.sessions.set(part, { session, dataIds: ids, key: `${this.id}:${part}:${++this.versions}`, model });
    return session;
  }

  private release(entry: { session: SyncSession; key: string; model: Uint8Array | null } | undefined): void {
    if (!entry) return;
    entry.session.dispose();
    if (!entry.model) inferencePool()?.drop(entry.key);
  }

  /** `rows` (n × rowShape) through one part's graph: split over the inference pool's threads when large. */
  private run(part: Part, input: string, rows: Float32Array, rowShape: number[], outputs: Record<string, number>): Record<string, Float32Array> {
    const session = this.session(part);
    const n = rows.length / rowShape.reduce((a, b) => a * b, 1);
    const local = (r: Float32Array, count: number) => session.run({ [input]: r }, { [input]: [count, ...rowShape] });
    const pool = inferencePool();
    const entry = this.sessions.get(part)!;
    if (!pool || n < 2 * MIN_ROWS_PER_THREAD) return local(rows, n);
    // The helpers get a copy on the first batch worth splitting, not on every change of weights: during training
    // the weights change at every epoch's end and most calls there are small.
    if (entry.model) {
      pool.load(entry.key, entry.model);
      entry.model = null;
    }
    return pool.run({ key: entry.key, input, rowShape, outputs }, rows, n, local);
  }

  /** Decoder mean in [-1, 1], NHWC, for latents n × latent. */
  decodeMean(z: Float32Array): Float32Array {
    const { size, latent, imageChannels } = this.arch;
    if (z.length === 0) return new Float32Array(0);
    return this.run('dec', 'z', z, [latent], { mean: size * size * imageChannels }).mean;
  }

  /** Posterior means and log-variances for [-1, 1] NHWC images. */
  encode(x: Float32Array): { mu: Float32Array; logvar: Float32Array } {
    const { size, latent, imageChannels } = this.arch;
    if (x.length === 0) return { mu: new Float32Array(0), logvar: new Float32Array(0) };
    const out = this.run('enc', 'x', x, [size, size, imageChannels], { mu: latent, logvar: latent });
    return { mu: out.mu, logvar: out.logvar };
  }

  dispose(): void {
    for (const entry of this.sessions.values()) this.release(entry);
    this.sessions.clear();
  }
}

let enabled = false;

/** Whether VaeModel's inference runs on ONNX Runtime (set by backend selection). */
export function setOnnxInference(on: boolean): void {
  enabled = on;
}

export function onnxInferenceEnabled(): boolean {
  return enabled;
}
