/**
 * Fast convolution-gradient kernels for the TF.js wasm backend, built from its own XNNPACK `Conv2D` kernel.
 *
 * - `Conv2DBackpropFilter` (absent from tfjs-backend-wasm 4.22): ONE convolution with batch and channels swapped.
 *   dW[kh,kw,ic,oc] = sum_{n,oh,ow} xpad[n, kh + s*oh, kw + s*ow, ic] * dy[n,oh,ow,oc], i.e. a stride-1 correlation
 *   with dilation s of the "image batch" x^T = [ic, H, W, N] with the "filter" dy^T = [outH, outW, N, oc]; its
 *   output [ic, kh, kw, oc] is transposed to [kh, kw, ic, oc].
 * - `Conv2DBackpropInput` (shipped one is a naive loop, ~10x slower than Conv2D): for stride 1 a correlation of
 *   dy with the spatially flipped, in/out-swapped filter; for stride s > 1 a sub-pixel (phase) decomposition:
 *   output rows i = s*q + r only receive filter taps a ≡ (r + padTop) mod s, so each of the s×s phases is a small
 *   stride-1 correlation of dy with a sub-filter, and the phase outputs are interleaved back. No zero insertion.
 *
 * Every intermediate is released with backend.disposeData before the kernel returns.
 */
import {
  backend_util,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { useKernel } from './registry.js';
import { convPadded, heapIndex, release, transpose, type WasmBackendLike } from './wasm-ops.js';

type Shape4 = [number, number, number, number];

interface KernelArgs<A> {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: A;
}

function checkNHWC(dataFormat: string | undefined, kernel: string): void {
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The forward convolution both gradients belong to, after checking the layout and dy's shape against it. */
function checkedConvInfo(
  kernel: string,
  xShape: readonly number[],
  filterShape: readonly number[],
  dyShape: readonly number[],
  attrs: Pick<Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'>,
): backend_util.Conv2DInfo {
  checkNHWC(attrs.dataFormat, kernel);
  const info = backend_util.computeConv2DInfo(
    xShape as Shape4, filterShape as Shape4, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  if (!sameShape(dyShape, info.outShape)) {
    throw new Error(`${kernel}: dy shape [${dyShape}] does not match [${info.outShape}]`);
  }
  return info;
}

export function conv2DBackpropFilterWasm(args: KernelArgs<Conv2DBackpropFilterAttrs>): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs;
  const { filterShape } = args.attrs!;
  const info = checkedConvInfo(Conv2DBackpropFilter, x.shape, filterShape, dy.shape, args.attrs!);
  const { inHeight, inWidth, filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const xT = transpose(backend, x, [3, 1, 2, 0]); // [ic, H, W, N]: channels become the batch
  let dyT: TensorInfo | null = null;
  let r: TensorInfo | null = null;
  try {
    dyT = transpose(backend, dy, [1, 2, 0, 3]); // [outH, outW, N, oc]: dy becomes the filter
    // Pad x^T so that exactly filterHeight x filterWidth window positions exist; rows/cols past the last one
    // that contributes get a negative pad (cropped).
    const pads = {
      top,
      left,
      bottom: filterHeight + strideHeight * (outHeight - 1) - top - inHeight,
      right: filterWidth + strideWidth * (outWidth - 1) - left - inWidth,
    };
    r = convPadded(backend, xT, dyT, pads, [1, 1], [strideHeight, strideWidth]); // [ic, kh, kw, oc]
    return transpose(backend, r, [1, 2, 0, 3]);
  } finally {
    release(backend, xT);
    if (dyT) release(backend, dyT);
    if (r) release(backend, r);
  }
}

/** One output phase along one spatial axis of the input gradient. */
interface Phase {
  /** first filter tap of the phase: a0 = (r + padBefore) mod s */
  a0: number;
  /** number of taps a0, a0+s, ... below the filter size */
  taps: number;
  /** number of output positions r, r+s, ... below the input size */
  count: number;
  /** pad before dy for the phase's stride-1 correlation (negative: crop) */
  padBefore: number;
  padAfter: number;
}

function phase(r: number, padBefore: number, k: number, s: number, inSize: number, outSize: number): Phase {
  const a0 = (r + padBefore) % s;
  const taps = a0 < k ? Math.ceil((k - a0) / s) : 0;
  const count = r < inSize ? Math.ceil((inSize - r) / s) : 0;
  const c = (r + padBefore - a0) / s; // dy index of the last tap for output position q is q + c
  const before = taps - 1 - c;
  return { a0, taps, count, padBefore: before, padAfter: count + taps - 1 - before - outSize };
}

/**
 * Sub-filter [th, tw, oc, ic] of the flipped, in/out-swapped filter for one phase, copied in blocks of oc*ic
 * floats out of wT = filter transposed to [kh, kw, oc, ic].
 */
function subFilter(backend: WasmBackendLike, wT: TensorInfo, ph: Phase, pw: Phase, s: [number, number]): TensorInfo {
  const [, kw, oc, ic] = wT.shape as Shape4;
  const out = backend.makeOutput([ph.taps, pw.taps, oc, ic], 'float32');
  const heap = backend.wasm.HEAPF32;
  const src = heapIndex(backend, wT);
  const block = oc * ic;
  let dst = heapIndex(backend, out);
  for (let th = 0; th < ph.taps; th++) {
    const a = ph.a0 + s[0] * (ph.taps - 1 - th);
    for (let tw = 0; tw < pw.taps; tw++) {
      const b = pw.a0 + s[1] * (pw.taps - 1 - tw);
      const from = src + (a * kw + b) * block;
      heap.copyWithin(dst, from, from + block);
      dst += block;
    }
  }
  return out;
}

/** Writes phase result part [N, ph.count, pw.count, C] (or zeros when part is null) into out at rows rh+s*q. */
function interleave(
  backend: WasmBackendLike, out: TensorInfo, part: TensorInfo | null, rh: number, rw: number, s: [number, number],
  ph: Phase, pw: Phase,
): void {
  const [n, h, w, c] = out.shape as Shape4;
  const heap = backend.wasm.HEAPF32;
  const dst = heapIndex(backend, out);
  let src = part ? heapIndex(backend, part) : -1;
  const colStep = s[1] * c;
  for (let b = 0; b < n; b++) {
    for (let q = 0; q < ph.count; q++) {
      let d = dst + ((b * h + rh + s[0] * q) * w + rw) * c;
      for (let p = 0; p < pw.count; p++, d += colStep) {
        if (src < 0) {
          heap.fill(0, d, d + c);
        } else {
          for (let k = 0; k < c; k++) heap[d + k] = heap[src + k];
          src += c;
        }
      }
    }
  }
}

export function conv2DBackpropInputWasm(args: KernelArgs<Conv2DBackpropInputAttrs>): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { dy, filter } = args.inputs;
  const { inputShape } = args.attrs!;
  const info = checkedConvInfo(Conv2DBackpropInput, inputShape, filter.shape, dy.shape, args.attrs!);
  const { inHeight, inWidth, filterHeight, filterWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const s: [number, number] = [strideHeight, strideWidth];
  const wT = transpose(backend, filter, [0, 1, 3, 2]); // [kh, kw, oc, ic]
  const owned: TensorInfo[] = [wT];
  try {
    if (strideHeight === 1 && strideWidth === 1) {
      const ph = phase(0, info.padInfo.top, filterHeight, 1, inHeight, outHeight);
      const pw = phase(0, info.padInfo.left, filterWidth, 1, inWidth, outWidth);
      const sub = subFilter(backend, wT, ph, pw, s);
      owned.push(sub);
      return convPadded(backend, dy, sub, {
        top: ph.padBefore, bottom: ph.padAfter, left: pw.padBefore, right: pw.padAfter,
      });
    }
    const out = backend.makeOutput(info.inShape as number[], 'float32');
    try {
      for (let rh = 0; rh < strideHeight; rh++) {
        const ph = phase(rh, info.padInfo.top, filterHeight, strideHeight, inHeight, outHeight);
        for (let rw = 0; rw < strideWidth; rw++) {
          const pw = phase(rw, info.padInfo.left, filterWidth, strideWidth, inWidth, outWidth);
          if (ph.count === 0 || pw.count === 0) continue;
          if (ph.taps === 0 || pw.taps === 0) {
            interleave(backend, out, null, rh, rw, s, ph, pw);
            continue;
          }
          const sub = subFilter(backend, wT, ph, pw, s);
          let part: TensorInfo | null = null;
          try {
            part = convPadded(backend, dy, sub, {
              top: ph.padBefore, bottom: ph.padAfter, left: pw.padBefore, right: pw.padAfter,
            }); // [N, ph.count, pw.count, ic]
            interleave(backend, out, part, rh, rw, s, ph, pw);
          } finally {
            release(backend, sub);
            if (part) release(backend, part);
          }
        }
      }
    } catch (e) {
      release(backend, out);
      throw e;
    }
    return out;
  } finally {
    for (const t of owned) release(backend, t);
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc,
};

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInputWasm as unknown as KernelFunc,
};

/**
 * Registers our Conv2DBackpropFilter, and ours or the shipped Conv2DBackpropInput, on wasm. Idempotent.
 */
export function registerWasmConvKernels(which: 'ours' | 'shipped' = 'ours'): void {
  useKernel(conv2DBackpropFilterConfig, 'ours'); // the wasm backend ships none
  useKernel(conv2DBackpropInputConfig, which);
}
