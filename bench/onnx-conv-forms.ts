// Why the training and decoder graphs keep ONNX Runtime's own ConvTranspose, and weight gradients as a dilated
// convolution: each 4×4 stride-2 layer of the 64×64 model timed alone (one thread) in the graph's formulation and
// in the alternatives considered, outputs checked against each other.
//   - transposed convolution: ConvTranspose, against its four output phases as 2×2 convolutions (weights
//     regathered by a constant index) joined by DepthToSpace — at batch 16 with weights as inputs (a training
//     step) and at batch 1 with weights baked in (a decode);
//   - weight gradient: the convolution of the input by the output gradient (batch and channels swapped, dilated),
//     against im2col by 16 strided slices and one matrix product over the batch.
// Usage: npx tsx bench/onnx-conv-forms.ts [--runs 50]
import { parseArgs } from 'node:util';
import { encodeModel, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from '../main/engine/ml/onnx/proto';
import { loadOrt } from '../main/engine/ml/onnx/runtime';
import { Rng } from '../main/engine/ml/rng';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' } } });
const runs = Number(values.runs);
const ort = await loadOrt();
const rng = new Rng(3);
const LAYERS: [number, number, number][] = [[256, 128, 4], [128, 64, 8], [64, 32, 16], [32, 3, 32]];

const ints = (name: string, v: number[]): OnnxTensor => ({ name, dims: [v.length], type: 'int64', values: BigInt64Array.from(v.map(BigInt)) });
const floats = (name: string, dims: number[]): OnnxTensor => ({ name, dims, type: 'float', values: rng.normals(dims.reduce((a, b) => a * b, 1), 0.1) });
const graph = (inputs: OnnxValueInfo[], outShape: number[], nodes: OnnxNode[], initializers: OnnxTensor[] = []): OnnxGraph => ({
  name: 'g',
  inputs,
  outputs: [{ name: 'y', shape: outShape }],
  nodes,
  initializers,
});

/** Best mean over five bursts of `runs` calls, and the output. */
async function time(model: OnnxGraph, feeds: Record<string, InstanceType<typeof ort.Tensor>>): Promise<{ ms: number; y: Float32Array }> {
  const session = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 });
  const y = (await session.run(feeds)).y.data as Float32Array;
  let ms = Infinity;
  for (let burst = 0; burst < 5; burst++) {
    const start = performance.now();
    for (let i = 0; i < runs; i++) await session.run(feeds);
    ms = Math.min(ms, (performance.now() - start) / runs);
  }
  await session.release();
  return { ms, y };
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]));
  }
  return diff / scale;
}

/** Flat indices into w [ci, co, 4, 4] giving the phase kernels [4·co, ci, 2, 2]: phase (ry, rx), tap (ty, tx) is w[…, 3 − ry − 2ty, 3 − rx − 2tx]. */
function phaseIndex(ci: number, co: number): BigInt64Array {
  const idx = new BigInt64Array(16 * co * ci);
  let i = 0;
  for (let ry = 0; ry < 2; ry++)
    for (let rx = 0; rx < 2; rx++)
      for (let o = 0; o < co; o++)
        for (let c = 0; c < ci; c++)
          for (let ty = 0; ty < 2; ty++) for (let tx = 0; tx < 2; tx++) idx[i++] = BigInt(((c * co + o) * 4 + 3 - ry - 2 * ty) * 4 + 3 - rx - 2 * tx);
  return idx;
}

async function transposedConv(n: number, ci: number, co: number, h: number, baked: boolean): Promise<string> {
  const w = floats('w', [ci, co, 4, 4]);
  const inputs: OnnxValueInfo[] = [{ name: 'x', shape: [n, ci, h, h] }, ...(baked ? [] : [{ name: 'w', shape: w.dims }])];
  const weights = baked ? [w] : [];
  const out = [n, co, 2 * h, 2 * h];
  const direct = graph(inputs, out, [{ op: 'ConvTranspose', inputs: ['x', 'w'], outputs: ['y'], attrs: { kernel_shape: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1] } }], weights);
  const phases: OnnxNode[] = [
    { op: 'Reshape', inputs: ['w', 'flat'], outputs: ['wf'] },
    { op: 'Gather', inputs: ['wf', 'idx'], outputs: ['wp'] },
    { op: 'Split', inputs: ['wp', 'split'], outputs: ['w0', 'w1', 'w2', 'w3'], attrs: { axis: 0 } },
  ];
  for (let q = 0; q < 4; q++) {
    const [ry, rx] = [q >> 1, q & 1];
    phases.push({ op: 'Conv', inputs: ['x', `w${q}`], outputs: [`c${q}`], attrs: { kernel_shape: [2, 2], pads: [1 - ry, 1 - rx, ry, rx] } });
  }
  phases.push(
    { op: 'Concat', inputs: ['c0', 'c1', 'c2', 'c3'], outputs: ['cat'], attrs: { axis: 1 } },
    { op: 'DepthToSpace', inputs: ['cat'], outputs: ['y'], attrs: { blocksize: 2, mode: { string: 'DCR' } } },
  );
  const phaseInit = [...weights, ints('flat', [-1]), ints('split', [co, co, co, co]), { name: 'idx', dims: [4 * co, ci, 2, 2], type: 'int64', values: phaseIndex(ci, co) } as OnnxTensor];
  const feeds = { x: new ort.Tensor('float32', rng.normals(n * ci * h * h), [n, ci, h, h]), ...(baked ? {} : { w: new ort.Tensor('float32', w.values as Float32Array, w.dims) }) };
  const a = await time(direct, feeds);
  const b = await time(graph(inputs, out, phases, phaseInit), feeds);
  return `${ms(a.ms)} | ${ms(b.ms)} (${(a.ms / b.ms).toFixed(2)}×, diff ${maxRelDiff(a.y, b.y).toExponential(0)})`;
}

async function weightGradient(n: number, ci: number, co: number, h: number): Promise<string> {
  const oh = h / 2;
  const inputs = [{ name: 'x', shape: [n, ci, h, h] }, { name: 'g', shape: [n, co, oh, oh] }];
  const out = [co, ci, 4, 4];
  const swap = (from: string, to: string): OnnxNode => ({ op: 'Transpose', inputs: [from], outputs: [to], attrs: { perm: [1, 0, 2, 3] } });
  const dilated = graph(inputs, out, [
    swap('x', 'xs'),
    swap('g', 'gs'),
    // With kernel 4, stride 2, pad 1 the dilated convolution's output is exactly 4×4: no crop (as in graph.ts).
    { op: 'Conv', inputs: ['xs', 'gs'], outputs: ['d'], attrs: { kernel_shape: [oh, oh], dilations: [2, 2], pads: [1, 1, 1, 1] } },
    swap('d', 'y'),
  ]);
  const nodes: OnnxNode[] = [swap('x', 'xt'), { op: 'Pad', inputs: ['xt', 'pads'], outputs: ['xp'] }];
  const init = [ints('pads', [0, 0, 1, 1, 0, 0, 1, 1]), ints('hw', [2, 3]), ints('two2', [2, 2]), ints('cols', [ci * 16, n * oh * oh]), ints('grows', [co, n * oh * oh]), ints('out', out)];
  const taps: string[] = [];
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      init.push(ints(`s${i}${j}`, [i, j]), ints(`e${i}${j}`, [i + 2 * oh - 1, j + 2 * oh - 1]));
      nodes.push({ op: 'Slice', inputs: ['xp', `s${i}${j}`, `e${i}${j}`, 'hw', 'two2'], outputs: [`t${i}${j}`] });
      taps.push(`t${i}${j}`);
    }
  nodes.push(
    { op: 'Concat', inputs: taps, outputs: ['cat'], attrs: { axis: 1 } },
    { op: 'Reshape', inputs: ['cat', 'cols'], outputs: ['c'] },
    swap('g', 'gt'),
    { op: 'Reshape', inputs: ['gt', 'grows'], outputs: ['g2'] },
    { op: 'Gemm', inputs: ['g2', 'c'], outputs: ['d'], attrs: { transB: 1 } },
    { op: 'Reshape', inputs: ['d', 'out'], outputs: ['y'] },
  );
  const feeds = { x: new ort.Tensor('float32', rng.normals(n * ci * h * h), [n, ci, h, h]), g: new ort.Tensor('float32', rng.normals(n * co * oh * oh), [n, co, oh, oh]) };
  const a = await time(dilated, feeds);
  const b = await time(graph(inputs, out, nodes, init), feeds);
  return `${ms(a.ms)} | ${ms(b.ms)} (${(a.ms / b.ms).toFixed(2)}×, diff ${maxRelDiff(a.y, b.y).toExponential(0)})`;
}

const ms = (v: number) => `${v.toFixed(2)} ms`;
console.log('transposed conv, layer: ConvTranspose | four phase convs + DepthToSpace (speed-up)');
for (const [ci, co, h] of LAYERS) {
  console.log(`  ${ci}→${co} at ${h}×${h}, batch 16, weights as inputs: ${await transposedConv(16, ci, co, h, false)}`);
  console.log(`  ${ci}→${co} at ${h}×${h}, batch 1, weights baked:      ${await transposedConv(1, ci, co, h, true)}`);
}
console.log('weight gradient of a 4×4 stride-2 conv, batch 16: dilated conv | im2col slices + one Gemm (speed-up)');
for (const [co, ci, h] of LAYERS) console.log(`  ${ci}→${co} at ${2 * h}×${2 * h}: ${await weightGradient(16, ci, co, 2 * h)}`);
