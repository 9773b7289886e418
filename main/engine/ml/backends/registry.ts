/**
 * Swapping our kernels in and out of the wasm backend's kernel registry, remembering the shipped ones (so a
 * benchmark can compare, and so our kernels can delegate to them).
 */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';

const shipped = new Map<string, KernelConfig>();
const ours = new Set<KernelFunc>();

/**
 * Makes `config` (ours) or the shipped kernel of the same name the registered wasm kernel. A kernel that the
 * wasm backend does not ship stays ours. Idempotent.
 */
export function useKernel(config: KernelConfig, which: 'ours' | 'shipped'): void {
  ours.add(config.kernelFunc);
  const current = getKernel(config.kernelName, 'wasm');
  if (current != null && !ours.has(current.kernelFunc)) shipped.set(config.kernelName, current);
  const wanted = which === 'shipped' ? shipped.get(config.kernelName) ?? config : config;
  if (current?.kernelFunc === wanted.kernelFunc) return;
  if (current != null) unregisterKernel(config.kernelName, 'wasm');
  registerKernel(wanted);
}

/** The shipped wasm kernel we replaced (or the registered one when we have not replaced it). */
export function shippedKernelFunc(kernelName: string): KernelFunc {
  const config = shipped.get(kernelName) ?? getKernel(kernelName, 'wasm');
  if (config == null || ours.has(config.kernelFunc)) {
    throw new Error(`the wasm backend ships no '${kernelName}' kernel`);
  }
  return config.kernelFunc;
}
