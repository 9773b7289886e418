// The denoiser on ONNX Runtime: the posterior mean decoded, compiled from the shared layer description with the
// weights baked in. One session serves every tile shape: the image's height and width are named dimensions, so a
// photo of a new size costs no new session (building one took ~140 ms, more than denoising a 512-px photo), and
// measured as fast per tile as sessions built for fixed shapes. The session uses every core (large
// convolutions scale across intra-op threads; tiles run one after another).
import { availableParallelism } from 'node:os';
import { type DenoiserConfig, denoiserParamSpecs, SCALE } from '../denoiser/architecture';
import { denoiserDecoder, denoiserPosteriorMean } from '../description/denoiser-layers';
import type { Params } from '../params';
import { GraphBuilder, type Value } from './graph';
import { onnxShape, onnxWeights } from './layout';
import { onnxCompiler } from './onnx-compiler';
import { encodeModel, type OnnxGraph } from './proto';
import { SyncSession } from './sync-session';

/**
 * Input `x` [1, height, width, 3] in [0, 1], sides multiples of SCALE (any size: the builder's bookkeeping uses a
 * nominal one); output `y`, the denoised image in [0, 1].
 */
export function denoiserGraph(cfg: DenoiserConfig, weights: Map<string, Float32Array>): OnnxGraph {
  const g = new GraphBuilder('denoiser');
  // Inference needs neither the log-variance head nor the likelihood's scale.
  const used = denoiserParamSpecs(cfg).filter((s) => !s.name.startsWith('enc.logvar') && s.name !== 'logscale');
  const params = new Map<string, Value>(used.map((s) => [s.name, g.constant(weights.get(s.name)!, onnxShape(s.shape))]));
  const c = onnxCompiler(g, params);
  const nominal = 16 * SCALE;
  const x = g.input('x', [1, nominal, nominal, 3]);
  const noisy = g.sub(g.mul(g.transpose(x, [0, 3, 1, 2]), g.scalar(2)), g.scalar(1));
  const mean = denoiserDecoder(c, cfg, noisy, denoiserPosteriorMean(c, cfg, noisy));
  g.output(g.transpose(g.mul(g.add(mean, g.scalar(1)), g.scalar(0.5)), [0, 2, 3, 1]), 'y');
  const graph = g.build();
  for (const v of [...graph.inputs, ...graph.outputs]) v.shape = [1, 'height', 'width', 3];
  return graph;
}

export class OnnxDenoiser {
  private readonly weights: Map<string, Float32Array>;
  private session: SyncSession | null = null;

  constructor(
    private readonly cfg: DenoiserConfig,
    params: Params,
    private readonly threads = availableParallelism(),
  ) {
    this.weights = onnxWeights(params, denoiserParamSpecs(cfg));
  }

  /** Denoises one HWC RGB image in [0, 1]; odd sides are padded by repeating the edge, as the TF.js path does. */
  denoise(image: Float32Array, width: number, height: number): Float32Array {
    const pw = Math.ceil(width / SCALE) * SCALE;
    const ph = Math.ceil(height / SCALE) * SCALE;
    const padded = pw === width && ph === height ? image : padEdges(image, width, height, pw, ph);
    this.session ??= SyncSession.create(encodeModel(denoiserGraph(this.cfg, this.weights)), this.threads);
    const y = this.session.run({ x: padded }, { x: [1, ph, pw, 3] }).y;
    return padded === image ? y : crop(y, pw, width, height);
  }

  dispose(): void {
    this.session?.dispose();
    this.session = null;
  }
}

function padEdges(image: Float32Array, width: number, height: number, pw: number, ph: number): Float32Array {
  const out = new Float32Array(pw * ph * 3);
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(y, height - 1);
    out.set(image.subarray(sy * width * 3, (sy + 1) * width * 3), y * pw * 3);
    for (let x = width; x < pw; x++) out.copyWithin((y * pw + x) * 3, (y * pw + width - 1) * 3, (y * pw + width) * 3);
  }
  return out;
}

function crop(image: Float32Array, pw: number, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) out.set(image.subarray(y * pw * 3, (y * pw + width) * 3), y * width * 3);
  return out;
}
