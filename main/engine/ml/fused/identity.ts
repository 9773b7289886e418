/**
 * Identity (tf.clone) on the wasm backend without a copy: the output shares the input's data and bumps its
 * reference count, exactly as the wasm backend's own Reshape does. tfjs-core clones every tensor it saves for a
 * gradient (engine.saveTensorsForBackwardMode); the shipped wasm Identity copies each one (~100 copies, ~25M
 * floats per training step of the default model, ~14 ms). Sharing is safe because wasm kernels never write into
 * their inputs (every kernel, ours included, writes only to a fresh makeOutput). With the fused-ops switch off
 * (fused/switch.ts) it delegates to the shipped kernel.
 */
import type { DataId, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { shippedKernelFunc, useKernel } from '../backends/registry.js';
import { fusedOpsEnabled } from './switch.js';

interface RefCountedWasm {
  incRef(dataId: DataId): void;
}

function identityShared(args: { inputs: { x: TensorInfo }; backend: unknown }): TensorInfo {
  const { x } = args.inputs;
  if (!fusedOpsEnabled() || x.dtype === 'string' || x.dtype === 'complex64') {
    return shippedKernelFunc('Identity')(args as never) as TensorInfo;
  }
  (args.backend as RefCountedWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

const config: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identityShared as unknown as KernelFunc,
};

let registered = false;

/** Makes the sharing Identity the wasm backend's Identity (idempotent). */
export function ensureSharedIdentity(): void {
  if (registered) return;
  useKernel(config, 'ours');
  registered = true;
}
