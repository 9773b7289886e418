/**
 * y = leakyRelu(x + bias, alpha) as one op with its own gradient, bias broadcast over the last axis.
 *
 * Computes what `tf.leakyRelu(tf.add(x, bias), alpha)` computes (same float32 values forward; the gradient is the
 * same expression: dx = dy where y > 0, else alpha·dy; dBias = Σ dx over all but the last axis).
 *
 * On the wasm backend the forward pass is Add then Prelu with a constant slope tensor (both XNNPACK vector code;
 * the shipped LeakyRelu is a scalar loop, ~15× slower), and the backward pass is one kernel of ours: one JS loop
 * over the wasm heap that writes dx and accumulates dBias per channel (tfjs-core's gradient is three passes,
 * Greater, Select and Multiply, plus a Sum for the bias). Other backends use the tfjs ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, registerKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapIndex, type WasmBackendLike } from '../backends/wasm-ops.js';
import { ensureSharedIdentity } from './identity.js';
import { fusedOpsEnabled } from './switch.js';

export const BIAS_LEAKY_RELU_GRAD_KERNEL = 'VaeStudioBiasLeakyReluGrad';

interface Attrs {
  alpha: number;
}

function checkFloat(name: string, ...infos: TensorInfo[]): void {
  for (const t of infos) if (t == null || t.dtype !== 'float32') throw new Error(`${name}: expected float32 inputs`);
}

function backwardWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Attrs }): TensorInfo[] {
  const backend = args.backend as WasmBackendLike;
  const { dy, y } = args.inputs;
  checkFloat(BIAS_LEAKY_RELU_GRAD_KERNEL, dy, y);
  const c = y.shape[y.shape.length - 1];
  const size = y.shape.reduce((a, b) => a * b, 1);
  const dx = backend.makeOutput(y.shape, 'float32');
  const db = backend.makeOutput([c], 'float32');
  const heap = backend.wasm.HEAPF32; // after makeOutput: the heap may have grown
  const at = (info: TensorInfo, n: number) => heap.subarray(heapIndex(backend, info), heapIndex(backend, info) + n);
  const sums = leakyGradLoop(at(dy, size), at(y, size), at(dx, size), size, c, Math.fround(args.attrs!.alpha));
  at(db, c).set(sums);
  return [dx, db];
}

/** dx = y > 0 ? dy : alpha·dy (float32 product, as Multiply); returns Σ dx per channel (last axis), in double. */
function leakyGradLoop(dy: Float32Array, y: Float32Array, dx: Float32Array, size: number, c: number, alpha: number): Float64Array {
  const acc = new Float64Array(c);
  // factor from a table, not a branch: the sign of y is unpredictable, and a mispredicted branch per element
  // costs more than the whole loop body (~8.5 vs ~3.2 ms per 1M values). dy·1 is exact, dy·alpha rounds once.
  const factor = Float64Array.of(alpha, 1);
  for (let i = 0, k = 0; i < size; i++) {
    const v = Math.fround(dy[i] * factor[+(y[i] > 0)]);
    dx[i] = v;
    acc[k] += v;
    if (++k === c) k = 0;
  }
  return acc;
}

const configs: KernelConfig[] = [
  { kernelName: BIAS_LEAKY_RELU_GRAD_KERNEL, backendName: 'wasm', kernelFunc: backwardWasm as unknown as KernelFunc },
];

function ensureRegistered(): void {
  ensureSharedIdentity(); // the training step's saved-tensor clones (fused/identity.ts)
  for (const config of configs) if (getKernel(config.kernelName, 'wasm') == null) registerKernel(config);
}

/**
 * Persistent slope tensors for the forward pass (Prelu with a constant slope: XNNPACK's vector code; the wasm
 * backend caches its PReLU operator per slope tensor, so the slope must outlive the call). One per (backend,
 * channels, alpha); a handful in all.
 */
const slopes = new Map<string, { backend: unknown; slope: tf.Tensor1D }>();

function slopeFor(c: number, alpha: number): tf.Tensor1D {
  const key = `${c}:${alpha}`;
  const backend = tf.backend();
  const hit = slopes.get(key);
  if (hit && hit.backend === backend && !hit.slope.isDisposed) return hit.slope;
  const slope = tf.keep(tf.fill([c], alpha, 'float32')) as tf.Tensor1D;
  slopes.set(key, { backend, slope });
  return slope;
}

function backwardTf(dy: tf.Tensor, y: tf.Tensor, alpha: number): [tf.Tensor, tf.Tensor1D] {
  const dx = tf.where(tf.greater(y, 0), dy, tf.mul(dy, alpha));
  const axes = Array.from({ length: y.rank - 1 }, (_, i) => i);
  return [dx, tf.sum(dx, axes) as tf.Tensor1D];
}

/** leakyRelu(x + bias, alpha), bias of the size of x's last axis. */
export function biasLeakyRelu<T extends tf.Tensor>(x: T, bias: tf.Tensor1D, alpha: number): T {
  if (!fusedOpsEnabled()) return tf.leakyRelu(tf.add(x, bias), alpha) as T;
  if (bias.rank !== 1 || bias.shape[0] !== x.shape[x.rank - 1]) {
    throw new Error(`biasLeakyRelu: bias [${bias.shape}] does not match the last axis of [${x.shape}]`);
  }
  const wasm = tf.getBackend() === 'wasm' && x.dtype === 'float32' && bias.dtype === 'float32';
  if (wasm) ensureRegistered();
  const slope = wasm ? slopeFor(bias.shape[0], alpha) : null;
  const op = tf.customGrad(((xi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    // wasm: Add and Prelu with a constant slope, both XNNPACK vector code (the shipped LeakyRelu is a scalar loop)
    const y = slope ? tf.prelu(tf.add(xi, bi), slope) : tf.leakyRelu(tf.add(xi, bi), alpha);
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [yv] = saved;
        if (wasm) {
          return tf.engine().runKernel(BIAS_LEAKY_RELU_GRAD_KERNEL, { dy, y: yv } as never, { alpha } as never) as tf.Tensor[];
        }
        return backwardTf(dy, yv, alpha);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, bias) as T;
}
