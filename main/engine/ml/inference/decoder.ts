/**
 * The decoder's inference fast path: a plan of tensors precomputed once per set of weights, and the forward
 * pass that uses it. Computes exactly what vae.decode computes (up to float rounding):
 *
 *   dense → LeakyReLU → reshape → [conv2dTranspose 4×4/2 'same' + bias → LeakyReLU] × (L−1)
 *         → conv2dTranspose + bias → tanh
 *
 * - dense: one fused matMul + bias + activation on the model's own variables.
 * - hidden transposed convs: the s² = 4 output phases (see phases.ts) are ordinary 2×2 convolutions with their
 *   own persistent filters, each one fused conv2d with bias and activation, then interleaved (interleave.ts).
 *   Persistent filters matter: the wasm backend caches its XNNPACK convolution operator (packed weights
 *   included) per filter tensor, so a filter built per call (as the training path's Conv2DBackpropInput does)
 *   re-creates the operator and repacks the weights on every call.
 * - last transposed conv: one 2×2 convolution with 4·3 output channels ("shifted" form, phases.ts), whose
 *   depth-to-space and crop happen while the result is copied out (readout below), so no interleave pass.
 *   tanh(x) = 2·sigmoid(2x) − 1: the filter and bias are pre-scaled by 2 (exact in float), the conv fuses
 *   sigmoid, and the readout maps sigmoid to [-1, 1] (or straight to 8-bit pixels).
 * - LeakyReLU is fused as PReLU with a constant slope tensor: on wasm, FusedConv2D's 'leakyrelu' runs a scalar
 *   loop while 'prelu' runs XNNPACK's vectorised PReLU (about 15× faster).
 */
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, KERNEL, LEAK, STRIDE } from '../architecture';
import type { Params } from '../params';
import { interleavePhases } from './interleave';
import { axisPhases, phaseFilter, shiftedAxis, shiftedFilter, type ShiftedAxis } from './phases';

type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

interface HiddenLayer {
  /** s² phase filters [th, tw, in, out], phase index i·s + j */
  filters: tf.Tensor4D[];
  pads: ExplicitPad[];
  bias: tf.Tensor1D;
  slope: tf.Tensor1D;
}

interface FinalLayer {
  /** [T, T, in, s²·outC], pre-scaled by 2 */
  filter: tf.Tensor4D;
  /** bias tiled s² times, pre-scaled by 2 */
  bias: tf.Tensor1D;
  pad: ExplicitPad;
  axis: ShiftedAxis;
  outC: number;
}

export interface DecoderPlan {
  arch: Architecture;
  dense: { w: tf.Tensor2D; b: tf.Tensor1D; slope: tf.Tensor1D };
  hidden: HiddenLayer[];
  final: FinalLayer;
  /** tensors the plan owns (the model's variables it uses are not among them) */
  owned: tf.Tensor[];
  /** readout gather offsets, made on first use */
  gather?: Int32Array;
}

function param<T extends tf.Tensor>(params: Params, name: string): T {
  const v = params.get(name);
  if (!v) throw new Error(`Missing model parameter ${name}`);
  return v as unknown as T;
}

/** Builds the plan from the current values of the parameters. Its tensors are kept (survive any tidy). */
export function buildDecoderPlan(arch: Architecture, params: Params): DecoderPlan {
  const owned: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    owned.push(tf.keep(t));
    return t;
  };
  try {
    const k = KERNEL;
    const s = STRIDE;
    const layers = arch.channels.length;
    const phases = axisPhases(k, s);
    const units = arch.bottleneckUnits;
    const dense = {
      w: param<tf.Tensor2D>(params, 'dec.dense.w'),
      b: param<tf.Tensor1D>(params, 'dec.dense.b'),
      slope: own(tf.fill([units], LEAK) as tf.Tensor1D),
    };
    const hidden: HiddenLayer[] = [];
    let final: FinalLayer | undefined;
    for (let i = 0; i < layers; i++) {
      const wVar = param<tf.Tensor4D>(params, `dec${i}.w`);
      const bVar = param<tf.Tensor1D>(params, `dec${i}.b`);
      const [kh, kw, outC, inC] = wVar.shape;
      if (kh !== k || kw !== k) throw new Error(`dec${i}.w: expected a ${k}×${k} filter, got ${kh}×${kw}`);
      const w = wVar.dataSync() as Float32Array;
      if (i < layers - 1) {
        const filters: tf.Tensor4D[] = [];
        const pads: ExplicitPad[] = [];
        for (const ph of phases) {
          for (const pw of phases) {
            const f = phaseFilter(w, k, outC, inC, ph, pw);
            filters.push(own(tf.tensor4d(f.values, f.shape)));
            pads.push([[0, 0], [-ph.dmin, ph.dmax], [-pw.dmin, pw.dmax], [0, 0]]);
          }
        }
        hidden.push({ filters, pads, bias: bVar, slope: own(tf.fill([outC], LEAK) as tf.Tensor1D) });
      } else {
        const axis = shiftedAxis(k, s);
        const f = shiftedFilter(w, k, s, outC, inC, axis, 2);
        const b = bVar.dataSync() as Float32Array;
        const bias = new Float32Array(s * s * outC);
        for (let blk = 0; blk < s * s; blk++) for (let c = 0; c < outC; c++) bias[blk * outC + c] = 2 * b[c];
        final = {
          filter: own(tf.tensor4d(f.values, f.shape)),
          bias: own(tf.tensor1d(bias)),
          pad: [[0, 0], [-axis.uMin, axis.padAfter], [-axis.uMin, axis.padAfter], [0, 0]],
          axis,
          outC,
        };
      }
    }
    return { arch, dense, hidden, final: final!, owned };
  } catch (e) {
    tf.dispose(owned);
    throw e;
  }
}

export function disposeDecoderPlan(plan: DecoderPlan): void {
  tf.dispose(plan.owned);
  plan.owned.length = 0;
}

/**
 * Runs the decoder up to the last convolution: [N, U, U, s²·3] of sigmoid(2·pre-tanh) in the shifted layout.
 * The caller owns (and disposes) the result; use readMean / readPixels to turn it into images.
 */
export function runDecoder(plan: DecoderPlan, z: Float32Array): tf.Tensor4D {
  const { arch } = plan;
  const n = z.length / arch.latent;
  if (!Number.isInteger(n)) throw new Error(`decode: ${z.length} values is not a whole number of ${arch.latent}-d latents`);
  return tf.tidy(() => {
    const side = arch.bottleneckSide;
    const dense = tf.fused.matMul({
      a: tf.tensor2d(z, [n, arch.latent]),
      b: plan.dense.w,
      bias: plan.dense.b,
      activation: 'prelu',
      preluActivationWeights: plan.dense.slope,
    });
    let h = tf.reshape(dense, [n, side, side, arch.channels[arch.channels.length - 1]]) as tf.Tensor4D;
    for (const layer of plan.hidden) {
      const parts = layer.filters.map((filter, p) =>
        tf.fused.conv2d({
          x: h,
          filter,
          strides: 1,
          pad: layer.pads[p],
          bias: layer.bias,
          activation: 'prelu',
          preluActivationWeights: layer.slope,
        }),
      );
      h = interleavePhases(parts, STRIDE);
    }
    return tf.fused.conv2d({
      x: h,
      filter: plan.final.filter,
      strides: 1,
      pad: plan.final.pad,
      bias: plan.final.bias,
      activation: 'sigmoid',
    });
  });
}

/**
 * Depth-to-space + crop of the shifted layout, as a gather: for output value k of one image ([size, size, outC]
 * order), its offset inside one image of runDecoder's output. Depends on the architecture only.
 */
function shiftedGather(plan: DecoderPlan): Int32Array {
  if (plan.gather) return plan.gather;
  const { axis, outC } = plan.final;
  const s = STRIDE;
  const size = plan.arch.size;
  const windows = size / s - axis.uMin + axis.padAfter - axis.taps + 1; // conv output side U
  const ch = s * s * outC;
  // For output row o: window index and channel block.
  const win = new Int32Array(size);
  const blk = new Int32Array(size);
  for (let o = 0; o < size; o++) {
    const u = Math.floor((o - axis.e0) / s);
    win[o] = u - axis.uMin;
    blk[o] = o - axis.e0 - s * u;
  }
  const gather = new Int32Array(size * size * outC);
  let k = 0;
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      const src = (win[oy] * windows + win[ox]) * ch + (blk[oy] * s + blk[ox]) * outC;
      for (let c = 0; c < outC; c++) gather[k++] = src + c;
    }
  }
  plan.gather = gather;
  return gather;
}

function checkOutput(plan: DecoderPlan, y: tf.Tensor4D): { values: Float32Array; gather: Int32Array; n: number; stride: number } {
  const gather = shiftedGather(plan);
  const [n, uh, uw, ch] = y.shape;
  const stride = uh * uw * ch;
  if (gather[gather.length - 1] >= stride) throw new Error('decoder output has an unexpected shape');
  return { values: y.dataSync() as Float32Array, gather, n, stride };
}

/** Decoder mean in [-1, 1], NHWC, from runDecoder's output. */
export function readMean(plan: DecoderPlan, y: tf.Tensor4D): Float32Array {
  const { values, gather, n, stride } = checkOutput(plan, y);
  const per = gather.length;
  const out = new Float32Array(n * per);
  for (let b = 0; b < n; b++) {
    const base = b * stride;
    const o = b * per;
    for (let k = 0; k < per; k++) out[o + k] = 2 * values[base + gather[k]] - 1;
  }
  return out;
}

/** 8-bit pixels, packed HWC, from runDecoder's output: round((tanh + 1)·127.5) = round(255·sigmoid). */
export function readPixels(plan: DecoderPlan, y: tf.Tensor4D): Uint8Array {
  const { values, gather, n, stride } = checkOutput(plan, y);
  const per = gather.length;
  const out = new Uint8Array(n * per);
  for (let b = 0; b < n; b++) {
    const base = b * stride;
    const o = b * per;
    for (let k = 0; k < per; k++) {
      const p = Math.round(values[base + gather[k]] * 255);
      out[o + k] = p < 0 ? 0 : p > 255 ? 255 : p; // NaN -> 0, as toPixels
    }
  }
  return out;
}
