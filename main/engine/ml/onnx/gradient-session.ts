// One ONNX Runtime session that computes a batch slice's loss terms and gradients, reading parameters from the
// shared buffers in place and writing its gradients into its own shared slot. The trainer's thread and each
// worker thread hold one.
import type * as Ort from 'onnxruntime-node';
import type { ModelSpec } from '../trainable';
import { encodeModel } from './proto';
import { createSession, loadOrt } from './runtime';
import { layoutParams, type SharedBuffers } from './shared-state';
import { onnxTrainingModel } from './training-models';

export interface SliceTerms {
  recon: number;
  kl: number;
}

export class GradientSession {
  private constructor(
    private readonly ort: typeof Ort,
    private readonly session: Ort.InferenceSession,
    private readonly inputs: { name: string; shape: number[] }[],
    private readonly paramFeeds: Record<string, Ort.Tensor>,
    /** The gradient outputs, written by ONNX Runtime straight into this thread's shared slot. */
    private readonly gradFetches: Record<string, Ort.Tensor>,
    readonly n: number,
  ) {}

  static async create(
    spec: ModelSpec,
    exampleDims: number,
    n: number,
    buffers: SharedBuffers,
    slot: number,
    opts: { threads?: number; provider?: string } = {},
  ): Promise<GradientSession> {
    const ort = await loadOrt();
    const model = onnxTrainingModel(spec, exampleDims);
    const session = await createSession(encodeModel(model.graph(n)), { threads: opts.threads ?? 1, provider: opts.provider });
    const { slots } = layoutParams(model.specs);
    const params = new Float32Array(buffers.params);
    const grads = new Float32Array(buffers.grads[slot]);
    const feeds: Record<string, Ort.Tensor> = {};
    const fetches: Record<string, Ort.Tensor> = {};
    for (const s of slots) {
      feeds[s.name] = new ort.Tensor('float32', params.subarray(s.offset, s.offset + s.size), s.shape);
      fetches[`grad:${s.name}`] = new ort.Tensor('float32', grads.subarray(s.offset, s.offset + s.size), s.shape);
    }
    return new GradientSession(ort, session, model.inputs, feeds, fetches, n);
  }

  /** Runs the slice (the batch arrays of n examples) and fills this session's gradient slot. */
  async run(arrays: Float32Array[], klWeight: number): Promise<SliceTerms> {
    const feeds: Record<string, Ort.Tensor> = { ...this.paramFeeds, klWeight: new this.ort.Tensor('float32', Float32Array.of(klWeight), []) };
    this.inputs.forEach((input, i) => (feeds[input.name] = new this.ort.Tensor('float32', arrays[i], [this.n, ...input.shape])));
    const out = await this.session.run(feeds, { ...this.gradFetches, recon: null, kl: null });
    return { recon: (out.recon.data as Float32Array)[0], kl: (out.kl.data as Float32Array)[0] };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
