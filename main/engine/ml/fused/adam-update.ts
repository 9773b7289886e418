/**
 * One Adam step for one parameter (PyTorch's rule) as one pass over the wasm heap:
 *
 *   m' = β1·m + (1 − β1)·g
 *   v' = β2·v + (1 − β2)·g²
 *   p' = p − stepSize · m' / (√v' / √bc2 + eps)
 *
 * The kernel returns three new tensors (p', m', v') that the caller assigns to its variables; inputs are left
 * as they are. Arithmetic is in double, each result rounded once to float32 (the tfjs-op version rounds after
 * every op; the two agree to float rounding). Other backends use the tfjs ops (adam.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, registerKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapIndex, type WasmBackendLike } from '../backends/wasm-ops.js';

export const ADAM_UPDATE_KERNEL = 'VaeStudioAdamUpdate';

export interface AdamStepConstants {
  beta1: number;
  beta2: number;
  eps: number;
  stepSize: number;
  sqrtBc2: number;
}

function adamWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: AdamStepConstants }): TensorInfo[] {
  const backend = args.backend as WasmBackendLike;
  const { p, m, v, g } = args.inputs;
  for (const t of [p, m, v, g]) {
    if (t == null || t.dtype !== 'float32' || t.shape.join() !== p.shape.join()) {
      throw new Error(`${ADAM_UPDATE_KERNEL}: expected four float32 tensors of one shape`);
    }
  }
  const size = p.shape.reduce((a, b) => a * b, 1);
  const po = backend.makeOutput(p.shape, 'float32');
  const mo = backend.makeOutput(p.shape, 'float32');
  const vo = backend.makeOutput(p.shape, 'float32');
  const heap = backend.wasm.HEAPF32; // after makeOutput: the heap may have grown
  const at = (info: TensorInfo) => heap.subarray(heapIndex(backend, info), heapIndex(backend, info) + size);
  adamLoop(at(p), at(m), at(v), at(g), at(po), at(mo), at(vo), size, args.attrs!);
  return [po, mo, vo];
}

function adamLoop(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  po: Float32Array,
  mo: Float32Array,
  vo: Float32Array,
  size: number,
  k: AdamStepConstants,
): void {
  const { beta1, beta2, eps, stepSize } = k;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const invSqrtBc2 = 1 / k.sqrtBc2;
  for (let i = 0; i < size; i++) {
    const gr = g[i];
    const mn = Math.fround(beta1 * m[i] + c1 * gr);
    const vn = Math.fround(beta2 * v[i] + c2 * gr * gr);
    mo[i] = mn;
    vo[i] = vn;
    po[i] = p[i] - (stepSize * mn) / (Math.sqrt(vn) * invSqrtBc2 + eps);
  }
}

const config: KernelConfig = {
  kernelName: ADAM_UPDATE_KERNEL,
  backendName: 'wasm',
  kernelFunc: adamWasm as unknown as KernelFunc,
};

/** Whether fusedAdamUpdate can run for this parameter on the active backend. */
export function canFuseAdam(p: tf.Tensor): boolean {
  return tf.getBackend() === 'wasm' && p.dtype === 'float32';
}

/** [p', m', v'] (new tensors, owned by the caller). Wasm only: check canFuseAdam first. */
export function fusedAdamUpdate(
  p: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  g: tf.Tensor,
  k: AdamStepConstants,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (getKernel(ADAM_UPDATE_KERNEL, 'wasm') == null) registerKernel(config);
  return tf.engine().runKernel(ADAM_UPDATE_KERNEL, { p, m, v, g } as never, { ...k } as never) as unknown as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
}
