/** All our kernels for the wasm backend. */
import { registerWasmConvKernels } from './conv-kernels.js';
import { batchMatMulConfig } from './matmul-kernel.js';
import { useKernel } from './registry.js';

/**
 * Registers our wasm kernels (idempotent): Conv2DBackpropFilter (missing on wasm), a fast Conv2DBackpropInput
 * and a BatchMatMul that keeps transposed products on XNNPACK. `shipped` puts the shipped kernels back where
 * one exists (for benchmarks).
 */
export function registerWasmKernels(which: 'ours' | 'shipped' = 'ours'): void {
  registerWasmConvKernels(which);
  useKernel(batchMatMulConfig, which);
}
