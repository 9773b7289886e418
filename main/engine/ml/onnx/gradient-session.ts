// One ONNX Runtime session that computes a batch slice's loss terms and gradients, reading parameters from the
// shared buffers in place and writing its gradients into its own shared slot. The trainer's thread and each
// worker thread hold one.
import type * as Ort from 'onnxruntime-node';
import { describeArchitecture } from '../architecture';
import { paramSpecs } from '../params';
import type { ModelSpec } from '../trainable';
import { encodeModel } from './proto';
import { createSession, loadOrt } from './runtime';
import { layoutParams, type ParamSlot, type SharedBuffers } from './shared-state';
import { vaeTrainingGraph } from './vae-graphs';

export interface SliceTerms {
  recon: number;
  kl: number;
}

export function trainingGraphFor(spec: ModelSpec, n: number): Uint8Array {
  if (spec.kind !== 'vae') throw new Error('The ONNX engine trains generator projects; denoisers train on TF.js');
  const arch = describeArchitecture(spec.config);
  return encodeModel(vaeTrainingGraph(arch, paramSpecs(arch), n));
}

export function specLayout(spec: ModelSpec): { slots: ParamSlot[]; total: number } {
  if (spec.kind !== 'vae') throw new Error('The ONNX engine trains generator projects; denoisers train on TF.js');
  return layoutParams(paramSpecs(describeArchitecture(spec.config)));
}

export class GradientSession {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly spec: Extract<ModelSpec, { kind: 'vae' }>,
    private readonly slots: ParamSlot[],
    private readonly paramFeeds: Record<string, Ort.Tensor>,
    private readonly grads: Float32Array,
    readonly n: number,
  ) {}

  static async create(spec: ModelSpec, n: number, buffers: SharedBuffers, slot: number, opts: { threads?: number; provider?: string } = {}): Promise<GradientSession> {
    if (spec.kind !== 'vae') throw new Error('The ONNX engine trains generator projects; denoisers train on TF.js');
    const ort = await loadOrt();
    const session = await createSession(trainingGraphFor(spec, n), { threads: opts.threads ?? 1, provider: opts.provider });
    const { slots } = specLayout(spec);
    const params = new Float32Array(buffers.params);
    const feeds: Record<string, Ort.Tensor> = {};
    for (const s of slots) feeds[s.name] = new ort.Tensor('float32', params.subarray(s.offset, s.offset + s.size), s.shape);
    return new GradientSession(ort, session, spec, slots, feeds, new Float32Array(buffers.grads[slot]), n);
  }

  /** Runs the slice (x: n images NHWC in [-1, 1], eps: n × latent) and fills this session's gradient slot. */
  async run(x: Float32Array, eps: Float32Array, klWeight: number): Promise<SliceTerms> {
    const { size, latent } = this.spec.config;
    const out = await this.session.run({
      ...this.paramFeeds,
      x: new this.ort.Tensor('float32', x, [this.n, size, size, 3]),
      eps: new this.ort.Tensor('float32', eps, [this.n, latent]),
      klWeight: new this.ort.Tensor('float32', Float32Array.of(klWeight), []),
    });
    for (const s of this.slots) this.grads.set(out[`grad:${s.name}`].data as Float32Array, s.offset);
    const terms = { recon: (out.recon.data as Float32Array)[0], kl: (out.kl.data as Float32Array)[0] };
    for (const t of Object.values(out)) t.dispose();
    return terms;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
