/**
 * Interleaving the s² phase outputs of a transposed convolution back into one image:
 * out[n, s·y + i, s·x + j, c] = phase[i·s + j][n, y, x, c].
 *
 * On the wasm backend this is one kernel of ours (registered under our own name, `VaeStudioInterleavePhases`) that
 * copies channel vectors inside the wasm heap: one pass over the data, no intermediate. The shipped alternatives
 * are far slower there: Concat on the channel axis copies per pixel in JS, and DepthToSpace after it is a scalar
 * loop about 15× slower than this kernel (2M floats: ~58 ms vs ~3.6 ms). Other backends use stack + transpose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, registerKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { heapIndex, type WasmBackendLike } from '../backends/wasm-ops.js';

export const INTERLEAVE_KERNEL = 'VaeStudioInterleavePhases';

interface InterleaveAttrs {
  stride: number;
}

function interleaveWasm(args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: InterleaveAttrs }): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const s = args.attrs!.stride;
  const parts = Array.from({ length: s * s }, (_, k) => args.inputs[`p${k}`]);
  const [n, h, w, c] = parts[0].shape;
  for (const p of parts) {
    if (p == null || p.dtype !== 'float32' || p.shape.join() !== parts[0].shape.join()) {
      throw new Error(`${INTERLEAVE_KERNEL}: expected ${s * s} float32 tensors of one shape`);
    }
  }
  const oh = h * s;
  const ow = w * s;
  const out = backend.makeOutput([n, oh, ow, c], 'float32');
  const heap = backend.wasm.HEAPF32; // after makeOutput: the heap may have grown
  const dst0 = heapIndex(backend, out);
  const pixelStep = s * c;
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < s; j++) {
      let src = heapIndex(backend, parts[i * s + j]);
      for (let b = 0; b < n; b++) {
        for (let y = 0; y < h; y++) {
          let d = dst0 + ((b * oh + s * y + i) * ow + j) * c;
          if (c >= 32) {
            for (let x = 0; x < w; x++, d += pixelStep, src += c) heap.copyWithin(d, src, src + c);
          } else {
            for (let x = 0; x < w; x++, d += pixelStep) {
              for (let k = 0; k < c; k++) heap[d + k] = heap[src++];
            }
          }
        }
      }
    }
  }
  return out;
}

const interleaveWasmConfig: KernelConfig = {
  kernelName: INTERLEAVE_KERNEL,
  backendName: 'wasm',
  kernelFunc: interleaveWasm as unknown as KernelFunc,
};

function ensureRegistered(): void {
  if (getKernel(INTERLEAVE_KERNEL, 'wasm') == null) registerKernel(interleaveWasmConfig);
}

/** out[n, s·y + i, s·x + j, c] = parts[i·s + j][n, y, x, c]; parts all [N, H, W, C]. */
export function interleavePhases(parts: tf.Tensor4D[], s: number): tf.Tensor4D {
  if (parts.length !== s * s) throw new Error(`interleavePhases: expected ${s * s} phases, got ${parts.length}`);
  if (s === 1) return parts[0];
  const [n, h, w, c] = parts[0].shape;
  if (tf.getBackend() === 'wasm') {
    ensureRegistered();
    const inputs: Record<string, tf.Tensor> = {};
    parts.forEach((p, k) => (inputs[`p${k}`] = p));
    return tf.engine().runKernel(INTERLEAVE_KERNEL, inputs as never, { stride: s } as never) as tf.Tensor4D;
  }
  return tf.tidy(() => {
    const stacked = tf.reshape(tf.stack(parts), [s, s, n, h, w, c]);
    return tf.reshape(tf.transpose(stacked, [2, 3, 0, 4, 1, 5]), [n, h * s, w * s, c]) as tf.Tensor4D;
  });
}
