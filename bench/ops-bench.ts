/**
 * Per-op timings of the default model's convolution layers (64×64×3 input, batch 32, 4×4 stride-2 'same')
 * and its two dense layers (latent 128), forward, input gradient and filter/weight gradient, on:
 *   - wasm with the shipped kernels (Conv2DBackpropFilter does not exist there: a composition of wasm ops
 *     — per-tap strided slice + matMul — stands in for it),
 *   - wasm with our kernels (main/engine/ml/backends/conv-kernels.ts),
 *   - the pure-JS cpu backend, for reference.
 * Run: npx tsx bench/ops-bench.ts [repeats=7] [cpuRepeats=1]
 *   wasm: median of `repeats` after one warm-up; cpu: median of `cpuRepeats`, no warm-up (its ops take seconds);
 *   cpuRepeats=0 skips the cpu column. BENCH_VERBOSE=1 prints each row as it is measured.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../main/engine/ml/backends/index.js';
import { registerWasmKernels } from '../main/engine/ml/backends/kernels.js';

const REPEATS = Number(process.argv[2] ?? 7);
const CPU_REPEATS = Number(process.argv[3] ?? 1);
const BATCH = 32;
const K = 4;
const S = 2;

interface Layer {
  name: string;
  kind: 'conv' | 'deconv';
  /** input of the op */
  inShape: [number, number, number, number];
  /** filter [k, k, a, b] as TF.js expects for conv2d / conv2dTranspose */
  filterShape: [number, number, number, number];
  outShape: [number, number, number, number];
}

function layers(): Layer[] {
  const list: Layer[] = [];
  const chans = [3, 32, 64, 128, 256];
  let side = 64;
  for (let i = 0; i < 4; i++) {
    list.push({
      name: `enc${i + 1} ${side}x${side}x${chans[i]}→${side / 2}x${side / 2}x${chans[i + 1]}`,
      kind: 'conv',
      inShape: [BATCH, side, side, chans[i]],
      filterShape: [K, K, chans[i], chans[i + 1]],
      outShape: [BATCH, side / 2, side / 2, chans[i + 1]],
    });
    side /= 2;
  }
  for (let i = 4; i > 0; i--) {
    list.push({
      name: `dec${5 - i} ${side}x${side}x${chans[i]}→${side * 2}x${side * 2}x${chans[i - 1]}`,
      kind: 'deconv',
      inShape: [BATCH, side, side, chans[i]],
      filterShape: [K, K, chans[i - 1], chans[i]],
      outShape: [BATCH, side * 2, side * 2, chans[i - 1]],
    });
    side *= 2;
  }
  return list;
}

/** Filter gradient as a plain composition of ops (what a model could do without a Conv2DBackpropFilter kernel). */
function filterGradComposed(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[]): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, ic, oc] = filterShape;
    const [n, oh, ow] = dy.shape;
    const [, h, w] = x.shape;
    const padH = Math.max((oh - 1) * S + kh - h, 0);
    const padW = Math.max((ow - 1) * S + kw - w, 0);
    const xp = tf.pad(x, [[0, 0], [Math.floor(padH / 2), padH - Math.floor(padH / 2)],
      [Math.floor(padW / 2), padW - Math.floor(padW / 2)], [0, 0]]);
    const dy2 = tf.reshape(dy, [n * oh * ow, oc]);
    const taps: tf.Tensor[] = [];
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const patch = tf.stridedSlice(xp, [0, a, b, 0], [n, a + S * (oh - 1) + 1, b + S * (ow - 1) + 1, ic], [1, S, S, 1]);
        taps.push(tf.matMul(tf.reshape(patch, [n * oh * ow, ic]), dy2, true, false));
      }
    }
    return tf.reshape(tf.stack(taps), [kh, kw, ic, oc]) as tf.Tensor4D;
  });
}

type Op = 'forward' | 'input-grad' | 'filter-grad';

/** Builds the op's closure; every call returns a fresh tensor that the timer disposes. */
function makeOp(layer: Layer, op: Op, variant: 'shipped' | 'ours' | 'cpu'): { run: () => tf.Tensor; done: () => void } {
  const x = tf.randomNormal(layer.inShape) as tf.Tensor4D;
  const w = tf.randomNormal(layer.filterShape) as tf.Tensor4D;
  const dy = tf.randomNormal(layer.outShape) as tf.Tensor4D;
  const done = () => tf.dispose([x, w, dy]);
  const e = tf.engine();
  if (layer.kind === 'conv') {
    if (op === 'forward') return { run: () => tf.conv2d(x, w, S, 'same'), done };
    if (op === 'input-grad') {
      return {
        run: () => e.runKernel('Conv2DBackpropInput', { dy, filter: w },
          { strides: S, pad: 'same', dataFormat: 'NHWC', inputShape: layer.inShape }) as tf.Tensor,
        done,
      };
    }
    if (variant === 'shipped') return { run: () => filterGradComposed(x, dy, layer.filterShape), done };
    return {
      run: () => e.runKernel('Conv2DBackpropFilter', { x, dy },
        { strides: S, pad: 'same', dataFormat: 'NHWC', filterShape: layer.filterShape }) as tf.Tensor,
      done,
    };
  }
  // conv2dTranspose: forward is Conv2DBackpropInput, its input gradient is a Conv2D, its filter gradient is
  // Conv2DBackpropFilter(x = dL/dOut, dy = input).
  if (op === 'forward') return { run: () => tf.conv2dTranspose(x, w, layer.outShape, S, 'same'), done };
  if (op === 'input-grad') return { run: () => tf.conv2d(dy, w, S, 'same'), done };
  if (variant === 'shipped') return { run: () => filterGradComposed(dy, x, layer.filterShape), done };
  return {
    run: () => e.runKernel('Conv2DBackpropFilter', { x: dy, dy: x },
      { strides: S, pad: 'same', dataFormat: 'NHWC', filterShape: layer.filterShape }) as tf.Tensor,
    done,
  };
}

/** The model's two dense layers (encoder head 4096→2·128, decoder input 128→4096), batch 32. */
const denseLayers = [
  { name: 'dense enc 4096→256', k: 4096, n: 256 },
  { name: 'dense dec 128→4096', k: 128, n: 4096 },
];

function makeDenseOp(k: number, n: number, op: Op): { run: () => tf.Tensor; done: () => void } {
  const x = tf.randomNormal([BATCH, k]) as tf.Tensor2D;
  const w = tf.randomNormal([k, n]) as tf.Tensor2D;
  const dy = tf.randomNormal([BATCH, n]) as tf.Tensor2D;
  const done = () => tf.dispose([x, w, dy]);
  if (op === 'forward') return { run: () => tf.matMul(x, w), done };
  if (op === 'input-grad') return { run: () => tf.matMul(dy, w, false, true), done };
  return { run: () => tf.matMul(x, dy, true, false), done };
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(layer: Layer, op: Op, variant: 'shipped' | 'ours' | 'cpu', repeats: number, warmup = 1): number {
  return timeOp(makeOp(layer, op, variant), repeats, warmup);
}

function timeOp({ run, done }: { run: () => tf.Tensor; done: () => void }, repeats: number, warmup = 1): number {
  const samples: number[] = [];
  for (let i = 1 - warmup; i <= repeats; i++) {
    const t0 = performance.now();
    const y = run();
    y.dataSync(); // wasm and cpu are synchronous; this only guards against a lazy backend
    const t1 = performance.now();
    y.dispose();
    if (i > 0) samples.push(t1 - t0);
  }
  done();
  return median(samples);
}

/** True when our kernel is involved in (layer, op). */
function usesOurKernel(layer: Layer, op: Op): boolean {
  if (op === 'filter-grad') return true;
  return layer.kind === 'conv' ? op === 'input-grad' : op === 'forward';
}

async function main(): Promise<void> {
  const report = await initBackend('wasm');
  console.log(`backend: ${report.reasons.at(-1)!.reason}; median of ${REPEATS} after 1 warm-up; batch ${BATCH}`);
  const rows: string[][] = [];
  const totals = { shipped: 0, ours: 0, cpu: 0 };
  for (const layer of layers()) {
    for (const op of ['forward', 'input-grad', 'filter-grad'] as Op[]) {
      await tf.setBackend('wasm');
      registerWasmKernels('shipped');
      const shipped = time(layer, op, 'shipped', REPEATS);
      registerWasmKernels('ours');
      const ours = usesOurKernel(layer, op) ? time(layer, op, 'ours', REPEATS) : shipped;
      await tf.setBackend('cpu');
      const cpu = CPU_REPEATS > 0 ? time(layer, op, 'cpu', CPU_REPEATS, 0) : NaN;
      totals.shipped += shipped;
      totals.ours += ours;
      totals.cpu += cpu;
      const label = op === 'filter-grad' ? `${shipped.toFixed(1)} (composed)` : shipped.toFixed(1);
      rows.push([layer.name, op, label, usesOurKernel(layer, op) ? ours.toFixed(1) : '(same kernel)',
        (shipped / ours).toFixed(2) + '×', cpu.toFixed(1), (cpu / ours).toFixed(1) + '×']);
      if (process.env.BENCH_VERBOSE) console.error(layer.name, op, shipped.toFixed(1), ours.toFixed(1), cpu.toFixed(1));
      else process.stderr.write('.');
    }
  }
  for (const d of denseLayers) {
    for (const op of ['forward', 'input-grad', 'filter-grad'] as Op[]) {
      await tf.setBackend('wasm');
      registerWasmKernels('shipped');
      const shipped = timeOp(makeDenseOp(d.k, d.n, op), REPEATS);
      registerWasmKernels('ours');
      const ours = op === 'forward' ? shipped : timeOp(makeDenseOp(d.k, d.n, op), REPEATS);
      await tf.setBackend('cpu');
      const cpu = CPU_REPEATS > 0 ? timeOp(makeDenseOp(d.k, d.n, op), CPU_REPEATS, 0) : NaN;
      totals.shipped += shipped;
      totals.ours += ours;
      totals.cpu += cpu;
      rows.push([d.name, op === 'filter-grad' ? 'weight-grad' : op, shipped.toFixed(1),
        op === 'forward' ? '(same kernel)' : ours.toFixed(1), (shipped / ours).toFixed(2) + '×', cpu.toFixed(1),
        (cpu / ours).toFixed(1) + '×']);
      process.stderr.write('.');
    }
  }
  process.stderr.write('\n');
  rows.push(['TOTAL (fwd+bwd of all conv and dense layers)', '', totals.shipped.toFixed(1), totals.ours.toFixed(1),
    (totals.shipped / totals.ours).toFixed(2) + '×', totals.cpu.toFixed(1), (totals.cpu / totals.ours).toFixed(1) + '×']);
  const head = ['layer', 'op', 'wasm shipped ms', 'wasm ours ms', 'ours speedup', 'cpu ms', 'cpu/ours'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

await main();
