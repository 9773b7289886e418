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

/**
 * −log p(x | mean, scale) per image for NCHW x and mean (the discretized logistic of ../loss.ts), with its gradient
 * written out: with p, m = (x − mean ± 1/255)/s and u = (x − mean)/s, the log-probability's derivatives by p, m
 * and u are σ-expressions the forward pass already has (1 − σ(p) at x = −1, −σ(m) at x = 1, (σ'(p), −σ'(m)) / Δ
 * in between, 1 − 2σ(u) where the bin mass Δ underflows), so the backward pass is a few element-wise products
 * instead of the reverse of every Where, Softplus and broadcast of the forward one.
 */
export function discretizedLogisticNll(g: GraphBuilder, x: Value, mean: Value, logScaleRaw: Value): Value {
  const [n, c] = mean.shape;
  const raw = g.detach(logScaleRaw);
  const logS = g.reshape(g.maxScalar(raw, MIN_LOG_SCALE), [1, c, 1, 1]);
  const invS = g.exp(g.neg(logS));
  const centered = g.sub(x, g.detach(mean));
  const p = g.mul(invS, g.add(centered, g.scalar(HALF_BIN)));
  const m = g.mul(invS, g.sub(centered, g.scalar(HALF_BIN)));
  const u = g.mul(invS, centered);
  const sp = g.sigmoid(p);
  const sm = g.sigmoid(m);
  const delta = g.sub(sp, sm);
  const low = g.less(x, -0.999);
  const high = g.greater(x, 0.999);
  const wide = g.greater(delta, CDF_DELTA_FLOOR);
  const logCdfPlus = g.sub(p, g.softplus(p));
  const logOneMinusCdfMin = g.neg(g.softplus(m));
  const logPdfMid = g.sub(g.sub(u, logS), g.mul(g.softplus(u), g.scalar(2)));
  const inner = g.where(wide, g.log(g.maxScalar(delta, 1e-12)), g.sub(logPdfMid, g.scalar(Math.log(127.5))));
  const logProb = g.where(low, logCdfPlus, g.where(high, logOneMinusCdfMin, inner));
  const nll = g.neg(g.reduceSum(logProb, [1, 2, 3]));
  return g.composite([mean, logScaleRaw], nll, (gNll) => {
    // s1 = −∂logProb/∂mean · s, s2 = −∂logProb/∂log s, per region (see above).
    const one = g.scalar(1);
    const a = g.mul(sp, g.sub(one, sp));
    const b = g.mul(sm, g.sub(one, sm));
    const invDelta = g.div(one, g.maxScalar(delta, 1e-12));
    const t = g.sub(one, g.mul(g.sigmoid(u), g.scalar(2)));
    const notSp = g.sub(one, sp);
    const s1 = g.where(low, notSp, g.where(high, g.neg(sm), g.where(wide, g.mul(g.sub(a, b), invDelta), t)));
    const s2 = g.where(low, g.mul(p, notSp), g.where(high, g.neg(g.mul(m, sm)), g.where(wide, g.mul(g.sub(g.mul(p, a), g.mul(m, b)), invDelta), g.add(g.mul(u, t), one))));
    const perImage = g.reshape(gNll, [n, 1, 1, 1]);
    const dMean = g.mul(g.mul(perImage, invS), s1);
    const dLogS = g.reshape(g.reduceSum(g.mul(perImage, s2), [0, 2, 3]), [c]);
    return [dMean, g.where(g.less(raw, MIN_LOG_SCALE), g.zerosLike(dLogS), dLogS)];
  });
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
