/**
 * BatchMatMul for the wasm backend. The shipped kernel runs XNNPACK's fully-connected operator only for
 * batch 1 without transposes; with transposeA or transposeB (every matMul gradient) it falls back to a scalar
 * loop that is 10-15× slower. Transposing operands explicitly (the wasm Transpose kernel) and calling the
 * shipped kernel without transposes keeps gradients on the XNNPACK path; of op(a)@op(b) and (op(b)ᵀ@op(a)ᵀ)ᵀ
 * it takes the one that moves fewer elements (XNNPACK repacks the right operand whenever it is a new tensor).
 */
import { BatchMatMul, util, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { shippedKernelFunc } from './registry.js';
import { release, transpose, type WasmBackendLike } from './wasm-ops.js';

function transposeLastTwo(backend: WasmBackendLike, x: TensorInfo): TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r - 2).keys(), r - 1, r - 2];
  return transpose(backend, x, perm);
}

export function batchMatMulWasm(args: {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: BatchMatMulAttrs;
}): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = args.attrs!;
  const shipped = shippedKernelFunc(BatchMatMul);
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const fastAfterTranspose = batchA === 1 && batchB === 1 && a.dtype === 'float32' && b.dtype === 'float32';
  if (!(transposeA || transposeB) || !fastAfterTranspose) return shipped(args as never) as TensorInfo;
  const sizeA = util.sizeFromShape(a.shape);
  const sizeB = util.sizeFromShape(b.shape);
  const m = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  // Elements moved: explicit transposes plus XNNPACK's packing of the right-hand ("weights") operand.
  // direct:  op(a) @ op(b)            swapped: (op(b)^T @ op(a)^T)^T, which packs a instead of b
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + sizeB;
  const swapped = (transposeB ? 0 : sizeB) + (transposeA ? 0 : sizeA) + sizeA + m * n;
  const owned: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (owned.push(t), t);
  const attrs = { ...args.attrs, transposeA: false, transposeB: false } as never;
  try {
    if (direct <= swapped) {
      const a2 = transposeA ? keep(transposeLastTwo(backend, a)) : a;
      const b2 = transposeB ? keep(transposeLastTwo(backend, b)) : b;
      return shipped({ inputs: { a: a2, b: b2 }, backend: backend as never, attrs }) as TensorInfo;
    }
    const left = transposeB ? b : keep(transposeLastTwo(backend, b)); // op(b)^T: [n, k]
    const right = transposeA ? a : keep(transposeLastTwo(backend, a)); // op(a)^T: [k, m]
    const outT = keep(shipped({ inputs: { a: left, b: right }, backend: backend as never, attrs }) as TensorInfo);
    return transposeLastTwo(backend, outT);
  } finally {
    for (const t of owned) release(backend, t);
  }
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMulWasm as unknown as KernelFunc,
};
