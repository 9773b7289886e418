// A VAE's encoder and decoder on ONNX Runtime, with the weights baked into each graph (so the runtime pre-packs
// them once). Used by VaeModel when the active backend is onnx; sessions are rebuilt when the weights change
// (compared by the TF.js variables' data ids, as the TF.js fast path does) and released with the model.
import type { Architecture } from '../architecture';
import type { Params } from '../params';
import { paramSpecs } from '../params';
import { onnxWeights } from './layout';
import { encodeModel } from './proto';
import { SyncSession } from './sync-session';
import { vaeDecoderGraph, vaeEncoderGraph, type Weights } from './vae-graphs';

type Part = 'enc' | 'dec';

export class OnnxVaeInference {
  private readonly sessions = new Map<Part, { session: SyncSession; dataIds: object[] }>();
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
    current?.session.dispose();
    const specs = paramSpecs(this.arch);
    const weights: Weights = onnxWeights(this.params, specs.filter((s) => s.name.startsWith(part)));
    const graph = part === 'dec' ? vaeDecoderGraph(this.arch, specs, weights) : vaeEncoderGraph(this.arch, specs, weights);
    let session: SyncSession;
    try {
      session = SyncSession.create(encodeModel(graph));
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      throw error;
    }
    this.sessions.set(part, { session, dataIds: ids });
    return session;
  }

  /** Decoder mean in [-1, 1], NHWC, for latents n × latent. */
  decodeMean(z: Float32Array): Float32Array {
    const n = z.length / this.arch.latent;
    if (n === 0) return new Float32Array(0);
    return this.session('dec').run({ z }, { z: [n, this.arch.latent] }).mean;
  }

  /** Posterior means and log-variances for [-1, 1] NHWC images. */
  encode(x: Float32Array): { mu: Float32Array; logvar: Float32Array } {
    const { size } = this.arch;
    const n = x.length / (size * size * this.arch.imageChannels);
    if (n === 0) return { mu: new Float32Array(0), logvar: new Float32Array(0) };
    const out = this.session('enc').run({ x }, { x: [n, size, size, this.arch.imageChannels] });
    return { mu: out.mu, logvar: out.logvar };
  }

  dispose(): void {
    for (const { session } of this.sessions.values()) session.dispose();
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
