// The generator VAE as ONNX graphs, compiled from the shared layer description: a training-step graph (loss
// terms and every parameter's gradient in one call) and encoder/decoder graphs for inference. Images cross the
// boundary as in the TF.js path: NHWC floats in [-1, 1].
import type { Architecture } from '../architecture';
import { vaeDecoder, vaeEncoder } from '../description/layers';
import type { ParamSpec } from '../params';
import { MIN_LOG_SCALE } from '../loss';
import { GraphBuilder, type Value } from './graph';
import { onnxShape } from './layout';
import { onnxCompiler } from './onnx-compiler';
import type { OnnxGraph } from './proto';

const HALF_BIN = 1 / 255;
const CDF_DELTA_FLOOR = 1e-5;

/** −log p(x | mean, scale) per image for NCHW x and mean (the discretized logistic of ../loss.ts). */
export function discretizedLogisticNll(g: GraphBuilder, x: Value, mean: Value, logScaleRaw: Value): Value {
  const logS = g.reshape(g.maxScalar(logScaleRaw, MIN_LOG_SCALE), [1, logScaleRaw.shape[0], 1, 1]);
  const invS = g.exp(g.neg(logS));
  const centered = g.sub(x, mean);
  const plusIn = g.mul(invS, g.add(centered, g.scalar(HALF_BIN)));
  const minIn = g.mul(invS, g.sub(centered, g.scalar(HALF_BIN)));
  const midIn = g.mul(invS, centered);
  const logCdfPlus = g.sub(plusIn, g.softplus(plusIn));
  const logOneMinusCdfMin = g.neg(g.softplus(minIn));
  const cdfDelta = g.sub(g.sigmoid(plusIn), g.sigmoid(minIn));
  const logPdfMid = g.sub(g.sub(midIn, logS), g.mul(g.softplus(midIn), g.scalar(2)));
  const inner = g.where(g.greater(cdfDelta, CDF_DELTA_FLOOR), g.log(g.maxScalar(cdfDelta, 1e-12)), g.sub(logPdfMid, g.scalar(Math.log(127.5))));
  const logProb = g.where(g.less(x, -0.999), logCdfPlus, g.where(g.greater(x, 0.999), logOneMinusCdfMin, inner));
  return g.neg(g.reduceSum(logProb, [1, 2, 3]));
}

/** KL(N(mu, exp(logvar)) || N(0, I)) per row. */
export function gaussianKl(g: GraphBuilder, mu: Value, logvar: Value): Value {
  const terms = g.sub(g.add(g.exp(logvar), g.mul(mu, mu)), g.add(logvar, g.scalar(1)));
  return g.mul(g.reduceSum(terms, [1]), g.scalar(0.5));
}

/** Parameters as graph inputs, or baked in as constants (ONNX layout) so the runtime can pre-pack them. */
export type Weights = Map<string, Float32Array>;

export function paramInputs(g: GraphBuilder, specs: ParamSpec[], trainable: boolean, weights?: Weights): Map<string, Value> {
  return new Map(
    specs.map((s) => {
      const baked = weights?.get(s.name);
      return [s.name, baked ? g.constant(baked, onnxShape(s.shape)) : g.input(s.name, onnxShape(s.shape), trainable)];
    }),
  );
}

const toNchw = (g: GraphBuilder, x: Value) => g.transpose(x, [0, 3, 1, 2]);

/** z = mu + sigma · eps (eps from the caller, so runs are seeded). */
export function reparameterize(g: GraphBuilder, mu: Value, logvar: Value, eps: Value): Value {
  return g.add(mu, g.mul(g.exp(g.mul(logvar, g.scalar(0.5))), eps));
}

/**
 * The step graph's outputs for any model: `recon` and `kl` (batch means) and `grad:<name>` for every parameter, the
 * gradient of recon + klWeight · kl with `klWeight` a graph input.
 */
export function elboStepGraph(g: GraphBuilder, params: Map<string, Value>, recon: Value, kl: Value): OnnxGraph {
  const klWeight = g.input('klWeight', []);
  const grads = g.gradients(g.add(recon, g.mul(kl, klWeight)), [...params.values()]);
  g.output(recon, 'recon');
  g.output(kl, 'kl');
  [...params.keys()].forEach((name, i) => g.output(grads[i], `grad:${name}`));
  return g.build();
}

/**
 * Inputs: every parameter (ONNX layout), `x` [n, size, size, imageChannels], `eps` [n, latent], `klWeight` [].
 * Outputs: `recon` and `kl` (batch means, nats per image) and `grad:<name>` for every parameter, the gradient of
 * recon + klWeight · kl.
 */
export function vaeTrainingGraph(arch: Architecture, specs: ParamSpec[], n: number): OnnxGraph {
  const g = new GraphBuilder('vae_train_step');
  const params = paramInputs(g, specs, true);
  const x = toNchw(g, g.input('x', [n, arch.size, arch.size, arch.imageChannels]));
  const eps = g.input('eps', [n, arch.latent]);
  const c = onnxCompiler(g, params);
  const { mu, logvar } = vaeEncoder(c, arch, x);
  const mean = vaeDecoder(c, arch, reparameterize(g, mu, logvar, eps));
  const recon = g.reduceMean(discretizedLogisticNll(g, x, mean, params.get('logscale')!));
  return elboStepGraph(g, params, recon, g.reduceMean(gaussianKl(g, mu, logvar)));
}

/** Inputs: `z` [batch, latent] (and the parameters unless baked); output `mean` [batch, size, size, imageChannels] in [-1, 1]. */
export function vaeDecoderGraph(arch: Architecture, specs: ParamSpec[], weights?: Weights): OnnxGraph {
  const g = new GraphBuilder('vae_decoder');
  const params = paramInputs(g, specs.filter((s) => s.name.startsWith('dec')), false, weights);
  const mean = vaeDecoder(onnxCompiler(g, params), arch, g.input('z', [-1, arch.latent]));
  g.output(g.transpose(mean, [0, 2, 3, 1]), 'mean');
  return g.build();
}

/** Inputs: `x` [batch, size, size, imageChannels] (and the parameters unless baked); outputs `mu` and `logvar` [batch, latent]. */
export function vaeEncoderGraph(arch: Architecture, specs: ParamSpec[], weights?: Weights): OnnxGraph {
  const g = new GraphBuilder('vae_encoder');
  const params = paramInputs(g, specs.filter((s) => s.name.startsWith('enc')), false, weights);
  const { mu, logvar } = vaeEncoder(onnxCompiler(g, params), arch, toNchw(g, g.input('x', [-1, arch.size, arch.size, arch.imageChannels])));
  g.output(mu, 'mu');
  g.output(logvar, 'logvar');
  return g.build();
}
