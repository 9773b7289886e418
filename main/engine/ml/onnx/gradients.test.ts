// The ONNX graphs' backward pass (GraphBuilder's reverse mode) against TF.js autodiff: each layer kind on random
// shapes, and the whole negative ELBO of the VAE, on random seeds. Worst relative errors are printed.
import * as tf from '@tensorflow/tfjs-core';
import '../gradients';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { VaeModel } from '../model';
import { paramSpecs } from '../params';
import { Rng } from '../rng';
import { GraphBuilder, type Value } from './graph';
import { fromOnnxLayout, onnxShape, toOnnxLayout } from './layout';
import { encodeModel } from './proto';
import { createSession, loadOrt } from './runtime';
import { discretizedLogisticNll as onnxNll, vaeTrainingGraph } from './vae-graphs';
import { discretizedLogisticNll, MIN_LOG_SCALE } from '../loss';
import { onnxTrainingModel } from './training-models';
import { DenoiserModel } from '../denoiser/model';

/** ‖a − b‖ / ‖b‖ */
function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

const worst: Record<string, number> = {};
const record = (what: string, err: number) => (worst[what] = Math.max(worst[what] ?? 0, err));

beforeAll(async () => {
  await initBackend('cpu');
});
afterAll(() => {
  console.log('ONNX vs TF.js gradients, worst relative error:');
  for (const [what, err] of Object.entries(worst)) console.log(`  ${what.padEnd(34)} ${err.toExponential(2)}`);
});

async function run(g: GraphBuilder, feeds: Record<string, { values: Float32Array; shape: number[] }>): Promise<Record<string, Float32Array>> {
  const ort = await loadOrt();
  const session = await createSession(encodeModel(g.build()), { threads: 1 });
  const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.values, v.shape)])));
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
}

describe('layer gradients', () => {
  const cases = [
    { kind: 'conv', k: 4, stride: 2, side: 8, inC: 3, outC: 5 },
    { kind: 'conv', k: 3, stride: 1, side: 6, inC: 4, outC: 3 },
    { kind: 'conv', k: 1, stride: 1, side: 5, inC: 6, outC: 2 },
    { kind: 'deconv', k: 4, stride: 2, side: 4, inC: 5, outC: 3 },
    { kind: 'deconv', k: 4, stride: 2, side: 3, inC: 2, outC: 4 },
  ] as const;
  for (const c of cases) {
    it(`${c.kind} ${c.k}×${c.k} stride ${c.stride} on ${c.side}×${c.side}×${c.inC} → ${c.outC}`, async () => {
      const rng = new Rng(c.k * 31 + c.side);
      const n = 2;
      const pad = (c.k - c.stride) / 2;
      const tfW: number[] = c.kind === 'conv' ? [c.k, c.k, c.inC, c.outC] : [c.k, c.k, c.outC, c.inC];
      const outSide = c.kind === 'conv' ? c.side / c.stride : c.side * c.stride;
      const x = rng.normals(n * c.side * c.side * c.inC);
      const w = rng.normals(tfW.reduce((a, b) => a * b, 1), 0.3);
      const b = rng.normals(c.outC, 0.1);
      const r = rng.normals(n * outSide * outSide * c.outC);

      // TF.js: loss = Σ tanh(layer(x)) · r, NHWC.
      const [dx, dw, db] = tf.tidy(() => {
        const f = (xs: tf.Tensor4D, ws: tf.Tensor4D, bs: tf.Tensor1D) => {
          const y = c.kind === 'conv'
            ? tf.conv2d(xs, ws, c.stride, 'same')
            : tf.conv2dTranspose(xs, ws, [n, outSide, outSide, c.outC], c.stride, 'same');
          return tf.sum(tf.mul(tf.tanh(tf.add(y, bs)), tf.tensor4d(r, [n, outSide, outSide, c.outC])));
        };
        return tf.grads(f as never)([tf.tensor4d(x, [n, c.side, c.side, c.inC]), tf.tensor4d(w, tfW as never), tf.tensor1d(b)]).map((t) => t.dataSync() as Float32Array);
      });

      // ONNX: the same on NCHW, through GraphBuilder.
      const g = new GraphBuilder('layer');
      const xv = g.input('x', [n, c.side, c.side, c.inC], true);
      const wv = g.input('w', onnxShape(tfW), true);
      const bv = g.input('b', [c.outC], true);
      const xn = g.transpose(xv, [0, 3, 1, 2]);
      const y = c.kind === 'conv' ? g.conv(xn, wv, bv, { stride: c.stride, pad }) : g.convTranspose(xn, wv, bv, { stride: c.stride, pad });
      const rv = g.constant(r, [n, outSide, outSide, c.outC]);
      const loss = g.reduceSum(g.mul(g.tanh(g.transpose(y, [0, 2, 3, 1])), rv), [0, 1, 2, 3]);
      const [gx, gw, gb] = g.gradients(loss, [xv, wv, bv]);
      g.output(gx, 'dx');
      g.output(gw, 'dw');
      g.output(gb, 'db');
      const out = await run(g, { x: { values: x, shape: [n, c.side, c.side, c.inC] }, w: { values: toOnnxLayout(w, tfW) as Float32Array, shape: onnxShape(tfW) }, b: { values: b, shape: [c.outC] } });

      const errors = [relError(out.dx, dx), relError(fromOnnxLayout(out.dw, tfW), dw), relError(out.db, db)];
      record(`${c.kind} ${c.k}×${c.k}/${c.stride}`, Math.max(...errors));
      for (const e of errors) expect(e).toBeLessThan(1e-5);
    });
  }
});

describe('the discretized logistic likelihood', () => {
  // Pixels at 0 and 255 (the edge bins), in between, and means far enough off that the bin mass underflows and the
  // density takes over; one channel's scale below the clamp (no gradient) and one at a small scale.
  it('matches TF.js autodiff in every region of its written-out gradient', async () => {
    const rng = new Rng(11);
    const [n, c, side] = [3, 3, 6];
    const size = n * side * side * c;
    const x = new Float32Array(size).map((_, i) => (i % 7 === 0 ? -1 : i % 7 === 1 ? 1 : Math.round(rng.next() * 255) / 127.5 - 1));
    const mean = new Float32Array(size).map((_, i) => (i % 5 === 0 ? (rng.next() < 0.5 ? -1.8 : 1.8) : rng.normal() * 0.5));
    const logScale = Float32Array.of(-2.5, MIN_LOG_SCALE - 1, -5.5);
    const weights = Float32Array.of(1, 0.5, 2);
    const [want, dMean, dLogS] = tf.tidy(() => {
      const xs = tf.tensor4d(x, [n, side, side, c]);
      const f = (m: tf.Tensor, l: tf.Tensor) => tf.sum(tf.mul(discretizedLogisticNll(xs, m as tf.Tensor4D, l as tf.Tensor1D), tf.tensor1d(weights)));
      const [gm, gl] = tf.grads(f)([tf.tensor4d(mean, [n, side, side, c]), tf.tensor1d(logScale)]);
      return [discretizedLogisticNll(xs, tf.tensor4d(mean, [n, side, side, c]), tf.tensor1d(logScale)), gm, gl].map((t) => t.dataSync() as Float32Array);
    });
    const g = new GraphBuilder('nll');
    const toNchw = (v: Value) => g.transpose(v, [0, 3, 1, 2]);
    const xv = g.input('x', [n, side, side, c]);
    const mv = g.input('mean', [n, side, side, c], true);
    const lv = g.input('logscale', [c], true);
    const nll = onnxNll(g, toNchw(xv), toNchw(mv), lv);
    const [gm, gl] = g.gradients(g.reduceSum(g.mul(nll, g.constant(weights, [n])), [0]), [mv, lv]);
    g.output(nll, 'nll');
    g.output(gm, 'dMean');
    g.output(gl, 'dLogS');
    const out = await run(g, { x: { values: x, shape: [n, side, side, c] }, mean: { values: mean, shape: [n, side, side, c] }, logscale: { values: logScale, shape: [c] } });
    const errors = { nll: relError(out.nll, want), mean: relError(out.dMean, dMean), logscale: relError(out.dLogS, dLogS) };
    for (const [what, err] of Object.entries(errors)) record(`likelihood ${what}`, err);
    expect(Math.abs(dLogS[1])).toBe(0);
    expect(Math.abs(out.dLogS[1])).toBe(0);
    for (const err of Object.values(errors)) expect(err).toBeLessThan(1e-5);
  });
});

describe('whole negative ELBO', () => {
  const cases = [
    [16, 8, 3, 1, 'classic', 3],
    [16, 8, 3, 4, 'classic', 4],
    [32, 16, 4, 2, 'classic', 3],
    [64, 32, 2, 3, 'classic', 3],
    [16, 8, 3, 4, 'residual', 3],
    [32, 16, 2, 5, 'residual', 4],
    [16, 64, 3, 6, 'spatial', 3],
    [32, 128, 2, 7, 'spatial', 4],
  ] as const;
  for (const [size, latent, n, seed, network, channels] of cases) {
    it(`${network} ${size}×${size}${channels === 4 ? ' RGBA' : ''}, latent ${latent}, batch ${n}, seed ${seed}`, async () => {
      const model = VaeModel.create({ size, latent, network, imageChannels: channels }, seed);
      // Residual convolutions start at zero (identity blocks); give them weights so their gradients are tested.
      for (const [name, v] of model.params) if (name.includes('.res.')) v.assign(tf.randomNormal(v.shape, 0, 0.05, 'float32', seed));
      const rng = new Rng(seed + 100);
      const x = new Float32Array(n * size * size * channels).map(() => Math.round(rng.next() * 255) / 127.5 - 1);
      const eps = rng.normals(n * latent);
      const { grads, terms } = model.gradients(x, eps, 0.7);
      const specs = paramSpecs(model.arch);
      const feeds: Record<string, { values: Float32Array; shape: number[] }> = {
        x: { values: x, shape: [n, size, size, channels] },
        eps: { values: eps, shape: [n, latent] },
        klWeight: { values: Float32Array.of(0.7), shape: [] },
      };
      for (const s of specs) feeds[s.name] = { values: toOnnxLayout(model.params.get(s.name)!.dataSync() as Float32Array, s.shape) as Float32Array, shape: onnxShape(s.shape) };
      const ort = await loadOrt();
      const session = await createSession(encodeModel(vaeTrainingGraph(model.arch, specs, n)), { threads: 1 });
      const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', v.values, v.shape)])));
      await session.release();
      expect(Math.abs((out.recon.data as Float32Array)[0] - terms.recon)).toBeLessThan(1e-5 * terms.recon);
      expect(Math.abs((out.kl.data as Float32Array)[0] - terms.kl)).toBeLessThan(1e-4 * Math.max(1, terms.kl));
      for (const s of specs) {
        const err = relError(fromOnnxLayout(out[`grad:${s.name}`].data as Float32Array, s.shape), grads[s.name].dataSync());
        record(`elbo ${network} ${size}²${channels === 4 ? ' RGBA' : ''} ${s.name}`.replace(/\.(w|b)$/, ''), err);
        expect(err, s.name).toBeLessThan(1e-4);
      }
      tf.dispose(Object.values(grads));
      model.dispose();
    });
  }
});

describe('the denoiser\'s negative ELBO', () => {
  it('matches TF.js on 16×16 patches', async () => {
    const model = DenoiserModel.create({ width: 8, latent: 4, encoderLayers: 1, decoderLayers: 1 }, 5);
    const rng = new Rng(6);
    const n = 3;
    const side = 16;
    const clean = new Float32Array(n * side * side * 3).map(() => Math.round(rng.next() * 255) / 127.5 - 1);
    const noisy = clean.map((v) => v + rng.normal() * 0.1);
    const eps = rng.normals(n * model.latentSize(side));
    const batch = DenoiserModel.batch(clean, noisy, eps, n);
    const { grads, terms } = model.batchGradients(batch, 0.3);
    const trainingModel = onnxTrainingModel(model.spec, side * side * 3);
    const ort = await loadOrt();
    const session = await createSession(encodeModel(trainingModel.graph(n)), { threads: 1 });
    const feeds: Record<string, InstanceType<typeof ort.Tensor>> = { klWeight: new ort.Tensor('float32', Float32Array.of(0.3), []) };
    trainingModel.inputs.forEach((input, i) => (feeds[input.name] = new ort.Tensor('float32', batch.arrays[i], [n, ...input.shape])));
    for (const s of trainingModel.specs) feeds[s.name] = new ort.Tensor('float32', toOnnxLayout(model.params.get(s.name)!.dataSync() as Float32Array, s.shape) as Float32Array, onnxShape(s.shape));
    const out = await session.run(feeds);
    await session.release();
    expect(Math.abs((out.recon.data as Float32Array)[0] - terms.recon)).toBeLessThan(1e-5 * Math.abs(terms.recon));
    expect(Math.abs((out.kl.data as Float32Array)[0] - terms.kl)).toBeLessThan(1e-4 * Math.max(1, terms.kl));
    for (const s of trainingModel.specs) {
      const err = relError(fromOnnxLayout(out[`grad:${s.name}`].data as Float32Array, s.shape), grads[s.name].dataSync());
      record(`denoiser ${s.name}`.replace(/\.(w|b)$/, ''), err);
      expect(err, s.name).toBeLessThan(1e-4);
    }
    tf.dispose(Object.values(grads));
    model.dispose();
  });
});

describe('graph building', () => {
  it('refuses to differentiate through a divisor', () => {
    const g = new GraphBuilder('div');
    const a: Value = g.input('a', [2], true);
    expect(() => g.div(g.scalar(1), a)).toThrow(/divisor/);
  });
});
