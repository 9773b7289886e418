/**
 * Decode (and encode) latency of the default model on the wasm backend: the training graph's ops (the path
 * VaeModel used before the inference fast path: vae.decode / vae.encode, conv2dTranspose through our
 * Conv2DBackpropInput) against the fast path (main/engine/ml/inference, what VaeModel.decode/encode run now).
 *
 *   npx tsx bench/decode-bench.ts [--size 64] [--latent 128] [--reps1 60] [--reps64 9] [--layers]
 *
 * Machines here are small and shared: old and new run alternately, call by call, and the table gives medians
 * (wall clock, and CPU time of this process, which is less disturbed by other load) with the interquartile
 * range. "after weight change" assigns new values to every decoder variable before each timed call (what a
 * decode between training steps sees): the fast path then rebuilds its plan inside the timed call.
 * --layers adds per-layer timings of the transposed-conv formulations considered (see the fast path's notes).
 */
import * as tf from '@tensorflow/tfjs-core';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend } from '../main/engine/ml/backends';
import { toPixels } from '../main/engine/ml/batches';
import { inferenceFor } from '../main/engine/ml/inference';
import { interleavePhases } from '../main/engine/ml/inference/interleave';
import { VaeModel } from '../main/engine/ml/model';
import { Rng } from '../main/engine/ml/rng';
import { decode, encode } from '../main/engine/ml/vae';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '64' },
    latent: { type: 'string', default: '128' },
    reps1: { type: 'string', default: '60' },
    reps64: { type: 'string', default: '9' },
    layers: { type: 'boolean', default: false },
  },
});
const size = Number(values.size);
const latent = Number(values.latent);
const reps1 = Number(values.reps1);
const reps64 = Number(values.reps64);

const report = await initBackend('wasm');
const model = VaeModel.create({ size, latent }, 0);
const { arch, params } = model;

// ---- the two paths -------------------------------------------------------------------------------------------

/** VaeModel.decode before the fast path. */
function oldDecode(z: Float32Array): Uint8Array {
  const n = z.length / latent;
  return toPixels(tf.tidy(() => decode(arch, params, tf.tensor2d(z, [n, latent])).dataSync()) as Float32Array);
}

/** VaeModel.encode before the fast path. */
function oldEncode(x: Float32Array): { mu: Float32Array; logvar: Float32Array } {
  const n = x.length / model.imageDims;
  return tf.tidy(() => {
    const post = encode(arch, params, tf.tensor4d(x, [n, size, size, 3]));
    return { mu: post.mu.dataSync() as Float32Array, logvar: post.logvar.dataSync() as Float32Array };
  });
}

// ---- timing ----------------------------------------------------------------------------------------------------

interface Stats {
  wall: number[];
  cpu: number[];
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs: number[]) => quantile(xs, 0.5);

function timeOnce(f: () => void, into: Stats): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  into.wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  into.cpu.push((c.user + c.system) / 1000);
}

/** Alternates old and new (order flipped every rep), `before` untimed ahead of each call. */
function race(old: () => void, neu: () => void, reps: number, before?: () => void): { old: Stats; neu: Stats } {
  const r = { old: { wall: [], cpu: [] } as Stats, neu: { wall: [], cpu: [] } as Stats };
  for (let i = 0; i < 3; i++) {
    before?.();
    old();
    before?.();
    neu();
  }
  for (let i = 0; i < reps; i++) {
    const pair: [() => void, Stats][] = [[old, r.old], [neu, r.neu]];
    if (i % 2 === 1) pair.reverse();
    for (const [f, s] of pair) {
      before?.();
      timeOnce(f, s);
    }
  }
  return r;
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const cell = (xs: number[]) => `${fmt(median(xs))} (${fmt(quantile(xs, 0.25))}–${fmt(quantile(xs, 0.75))})`;

const rows: string[][] = [];
function addRow(name: string, r: { old: Stats; neu: Stats }): void {
  rows.push([
    name,
    cell(r.old.wall),
    cell(r.neu.wall),
    `${(median(r.old.wall) / median(r.neu.wall)).toFixed(1)}×`,
    fmt(median(r.old.cpu)),
    fmt(median(r.neu.cpu)),
  ]);
}

// ---- run -------------------------------------------------------------------------------------------------------

const wasmReason = report.reasons.find((r) => r.backend === 'wasm')?.reason ?? '';
console.log(`backend: ${report.name} (${wasmReason})`);
console.log(`node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`model: ${size}×${size}, latent ${latent}, channels ${arch.channels.join('/')}\n`);

// Same images first: the fast path must agree with the training graph.
{
  const z = new Rng(2).normals(5 * latent);
  const ref = tf.tidy(() => decode(arch, params, tf.tensor2d(z, [5, latent])).dataSync());
  const got = model.decodeMean(z);
  let d = 0;
  for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(ref[i] - got[i]));
  console.log(`max |old − new| of the decoder mean, batch 5: ${d.toExponential(2)} (in [-1, 1] units)\n`);
}

const z1 = new Rng(1).normals(latent);
const z64 = new Rng(1).normals(64 * latent);
addRow('decode, 1 image', race(() => oldDecode(z1), () => model.decode(z1), reps1));
addRow('decode, 64 images', race(() => oldDecode(z64), () => model.decode(z64), reps64));

// A training step changes every variable's data (Variable.assign); do the same before each call.
const decoderVars = [...params].filter(([name]) => name.startsWith('dec')).map(([, v]) => v);
const snapshots = decoderVars.map((v) => v.clone());
let flip = false;
const changeWeights = () => {
  flip = !flip;
  decoderVars.forEach((v, i) => v.assign(flip ? tf.add(snapshots[i], 0) : snapshots[i].clone()));
};
const buildsBefore = inferenceFor(model).builds;
addRow('decode, 1 image, after weight change', race(() => oldDecode(z1), () => model.decode(z1), Math.ceil(reps1 / 2), changeWeights));
const rebuilds = inferenceFor(model).builds - buildsBefore;
tf.dispose(snapshots);

const rng = new Rng(3);
const x1 = new Float32Array(model.imageDims).map(() => rng.next() * 2 - 1);
const x64 = new Float32Array(64 * model.imageDims).map(() => rng.next() * 2 - 1);
addRow('encode, 1 image', race(() => oldEncode(x1), () => model.encode(x1), reps1));
addRow('encode, 64 images', race(() => oldEncode(x64), () => model.encode(x64), reps64));

const header = ['wasm, median ms (IQR)', 'old', 'new', 'speed-up', 'old CPU ms', 'new CPU ms'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
console.log(`\n(${reps1} reps for 1 image, ${reps64} for 64; the fast path rebuilt its plan ${rebuilds}× in the weight-change row)`);

// ---- optional: per-layer formulations --------------------------------------------------------------------------

if (values.layers) {
  console.log('\nper transposed-conv layer, ms (median, alternating): bias + activation fused everywhere');
  console.log('  phases:   4 × fused conv2d 2×2 (persistent phase filters) + our interleave kernel   [the fast path]');
  console.log('  3×3+d2s:  1 × fused conv2d 3×3 → 4·C channels + tf.depthToSpace');
  console.log('  shifted:  1 × fused conv2d 2×2 → 4·C channels on (H+1)² windows + rank-4 transpose (needs a crop after)');
  const layerRows: string[][] = [];
  let side = arch.bottleneckSide;
  const chans = [...arch.channels].reverse().concat([3]);
  for (const n of [1, 64]) {
    side = arch.bottleneckSide;
    for (let l = 0; l + 1 < chans.length; l++, side *= 2) {
      const [c, co] = [chans[l], chans[l + 1]];
      const t = tf.tidy(() => ({
        x: tf.randomNormal([n, side, side, c]) as tf.Tensor4D,
        f2: [0, 1, 2, 3].map(() => tf.randomNormal([2, 2, c, co]) as tf.Tensor4D),
        f3: tf.randomNormal([3, 3, c, 4 * co]) as tf.Tensor4D,
        fs: tf.randomNormal([2, 2, c, 4 * co]) as tf.Tensor4D,
        b: tf.zeros([co]) as tf.Tensor1D,
        b4: tf.zeros([4 * co]) as tf.Tensor1D,
        a: tf.fill([co], 0.2) as tf.Tensor1D,
        a4: tf.fill([4 * co], 0.2) as tf.Tensor1D,
      }));
      const keep = tf.keep;
      Object.values(t).flat().forEach((v) => keep(v as tf.Tensor));
      const pads: [number, number][] = [[1, 0], [0, 1]];
      const fns: Record<string, () => void> = {
        phases: () =>
          tf.tidy(() => {
            const parts = t.f2.map((filter, p) =>
              tf.fused.conv2d({
                x: t.x, filter, strides: 1, pad: [[0, 0], pads[p >> 1], pads[p & 1], [0, 0]],
                bias: t.b, activation: 'prelu', preluActivationWeights: t.a,
              }));
            interleavePhases(parts, 2).dataSync();
          }),
        '3×3+d2s': () =>
          tf.tidy(() => {
            const y = tf.fused.conv2d({ x: t.x, filter: t.f3, strides: 1, pad: 'same', bias: t.b4, activation: 'prelu', preluActivationWeights: t.a4 });
            tf.depthToSpace(y, 2).dataSync();
          }),
        shifted: () =>
          tf.tidy(() => {
            const y = tf.fused.conv2d({
              x: t.x, filter: t.fs, strides: 1, pad: [[0, 0], [1, 1], [1, 1], [0, 0]],
              bias: t.b4, activation: 'prelu', preluActivationWeights: t.a4,
            });
            tf.transpose(tf.reshape(y, [n * (side + 1), side + 1, 2, 2 * co]), [0, 2, 1, 3]).dataSync();
          }),
      };
      const names = Object.keys(fns);
      const times: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
      const reps = n === 1 ? 30 : 5;
      for (const k of names) fns[k]();
      for (let r = 0; r < reps; r++) {
        for (const k of names) {
          const t0 = performance.now();
          fns[k]();
          times[k].push(performance.now() - t0);
        }
      }
      layerRows.push([`batch ${n}, ${side}²×${c} → ${2 * side}²×${co}`, ...names.map((k) => fmt(median(times[k])))]);
      tf.dispose(Object.values(t).flat() as tf.Tensor[]);
    }
  }
  const h = ['layer', 'phases', '3×3+d2s', 'shifted'];
  const w = h.map((x, i) => Math.max(x.length, ...layerRows.map((r) => r[i].length)));
  console.log(h.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  '));
  for (const r of layerRows) console.log(r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  '));
}
