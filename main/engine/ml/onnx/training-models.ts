// What the ONNX trainer needs of each model kind: its parameter list, its training-step graph for n examples,
// and the shapes of the batch arrays it feeds (in TrainBatch.arrays order), all compiled from the shared layer
// descriptions.
import { describeArchitecture } from '../architecture';
import { denoiserParamSpecs, SCALE } from '../denoiser/architecture';
import { denoiserDecoder, denoiserEncoder } from '../description/denoiser-layers';
import { paramSpecs, type ParamSpec } from '../params';
import type { ModelSpec } from '../trainable';
import { GraphBuilder } from './graph';
import { onnxCompiler } from './onnx-compiler';
import type { OnnxGraph } from './proto';
import { discretizedLogisticNll, elboStepGraph, gaussianKl, paramInputs, reparameterize, vaeTrainingGraph } from './vae-graphs';

export interface OnnxTrainingModel {
  specs: ParamSpec[];
  /** Names and per-example shapes of the batch arrays, in TrainBatch.arrays order. */
  inputs: { name: string; shape: number[] }[];
  graph(n: number): OnnxGraph;
}

/** `exampleDims`: values in one training example's image (the denoiser's patch side follows from it). */
export function onnxTrainingModel(spec: ModelSpec, exampleDims: number): OnnxTrainingModel {
  if (spec.kind === 'vae') {
    const arch = describeArchitecture(spec.config);
    const specs = paramSpecs(arch);
    return {
      specs,
      inputs: [
        { name: 'x', shape: [arch.size, arch.size, arch.imageChannels] },
        { name: 'eps', shape: [arch.latent] },
      ],
      graph: (n) => vaeTrainingGraph(arch, specs, n),
    };
  }
  const cfg = spec.config;
  const side = Math.round(Math.sqrt(exampleDims / 3));
  if (side * side * 3 !== exampleDims || side % SCALE !== 0) throw new Error(`Denoiser patches must be square with even sides, got ${exampleDims} values`);
  const half = side / SCALE;
  const specs = denoiserParamSpecs(cfg);
  return {
    specs,
    inputs: [
      { name: 'clean', shape: [side, side, 3] },
      { name: 'noisy', shape: [side, side, 3] },
      { name: 'eps', shape: [half, half, cfg.latent] },
    ],
    graph(n) {
      const g = new GraphBuilder('denoiser_train_step');
      const params = paramInputs(g, specs, true);
      const nchw = (name: string, shape: number[]) => g.transpose(g.input(name, [n, ...shape]), [0, 3, 1, 2]);
      const clean = nchw('clean', [side, side, 3]);
      const noisy = nchw('noisy', [side, side, 3]);
      const eps = nchw('eps', [half, half, cfg.latent]);
      const c = onnxCompiler(g, params);
      const { mu, logvar } = denoiserEncoder(c, cfg, noisy);
      const mean = denoiserDecoder(c, cfg, noisy, reparameterize(g, mu, logvar, eps));
      const recon = g.reduceMean(discretizedLogisticNll(g, clean, mean, params.get('logscale')!));
      const flat = (v: typeof mu) => g.reshape(v, [n, cfg.latent * half * half]);
      return elboStepGraph(g, params, recon, g.reduceMean(gaussianKl(g, flat(mu), flat(logvar))));
    },
  };
}
