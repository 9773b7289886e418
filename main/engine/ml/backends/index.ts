/**
 * Backend selection for the engine: `auto | onnx | tensorflow | wasm | cpu`.
 *
 * auto tries ONNX Runtime first (onnxruntime-node: native kernels; generator training and inference run there),
 * then, for everything ONNX does not run (and as the whole engine when ONNX is unavailable), the TF.js backends
 * in order: @tensorflow/tfjs-node-gpu, @tensorflow/tfjs-node, the wasm backend (XNNPACK, SIMD, plus our
 * convolution-gradient kernels) and the pure-JS cpu backend. It reports for every better backend why it was not
 * used. An explicit `onnx`, `tensorflow` or `wasm` that cannot load throws a one-line Error.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { registerWasmKernels } from './kernels.js';
import { installNodeUtilShim } from './node-util-shim.js';
import { probeOnnx } from '../onnx/probe.js';
import { oneLine } from '../onnx/runtime.js';
import { syncOrt, syncOrtFailure } from '../onnx/sync-session.js';
import { setOnnxInference } from '../onnx/vae-inference.js';

export type BackendChoice = 'auto' | 'onnx' | 'tensorflow' | 'wasm' | 'cpu';
export type TfjsBackendName = 'tensorflow' | 'tensorflow-gpu' | 'wasm' | 'cpu';
export type BackendName = 'onnx' | TfjsBackendName;

export interface BackendReason {
  /** candidate: tensorflow-gpu (@tensorflow/tfjs-node-gpu), tensorflow (@tensorflow/tfjs-node), wasm, cpu */
  backend: string;
  ok: boolean;
  reason: string;
}

export interface BackendReport {
  /** What runs training and inference where it can. */
  name: BackendName;
  /** The TF.js backend for the rest (and for everything when `name` is not onnx). */
  tfjs: TfjsBackendName;
  /** ONNX Runtime's execution provider ("cpu", "cuda", …) when name is onnx. */
  provider?: string;
  reasons: BackendReason[];
}

const nodeRequire = createRequire(import.meta.url);

function isInstalled(pkg: string): boolean {
  try {
    nodeRequire.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** null when a CUDA device looks present (or cannot be ruled out), else why not. */
function noCudaDevice(): string | null {
  if (process.platform === 'darwin') return 'no CUDA on macOS';
  if (process.platform !== 'linux') return null; // Windows: let libtensorflow decide
  if (existsSync('/dev/nvidia0')) return null;
  try {
    if (readdirSync('/proc/driver/nvidia/gpus').length > 0) return null;
  } catch {
    // no NVIDIA driver loaded
  }
  return 'no CUDA device (no /dev/nvidia0, no NVIDIA driver)';
}

/** Runs f while collecting what TF.js logs through console.warn (backend init failures end up there). */
async function captureWarnings<T>(f: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  try {
    return { value: await f(), warnings };
  } finally {
    console.warn = original;
  }
}

/** Smallest real op on the active backend: catches a backend that registers but cannot compute. */
function smokeTest(): void {
  const v = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
  if (v[0] !== 4 || v[1] !== 6) throw new Error(`backend computed 1+3=${v[0]}, 2+4=${v[1]}`);
}

type Attempt = { ok: true; detail: string } | { ok: false; reason: string };

async function tryTensorflow(pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node'): Promise<Attempt> {
  if (!isInstalled(pkg)) return { ok: false, reason: `${pkg} is not installed` };
  if (pkg === '@tensorflow/tfjs-node-gpu') {
    const why = noCudaDevice();
    if (why != null) return { ok: false, reason: why };
  }
  try {
    installNodeUtilShim();
    await import(pkg);
  } catch (err) {
    return { ok: false, reason: `${pkg} failed to load: ${oneLine(err)}` };
  }
  if (tf.findBackendFactory('tensorflow') == null) {
    return { ok: false, reason: `${pkg} loaded but registered with another copy of @tensorflow/tfjs-core` };
  }
  try {
    const { value, warnings } = await captureWarnings(() => tf.setBackend('tensorflow'));
    if (!value) return { ok: false, reason: `${pkg} failed to initialise: ${warnings.at(-1) ?? 'unknown error'}` };
    smokeTest();
  } catch (err) {
    return { ok: false, reason: `${pkg} failed: ${oneLine(err)}` };
  }
  return { ok: true, detail: `${pkg} (libtensorflow)` };
}

/**
 * Emscripten's Node glue installs process 'uncaughtException'/'unhandledRejection' listeners that rethrow
 * (so any later crash prints a line of minified wasm glue). Remove the ones added while f runs.
 */
async function withoutEmscriptenHandlers<T>(f: () => Promise<T>): Promise<T> {
  type Listener = (...args: unknown[]) => void;
  const proc = process as unknown as {
    listeners(event: string): Listener[];
    removeListener(event: string, listener: Listener): unknown;
  };
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = new Map(events.map((e) => [e, new Set(proc.listeners(e))]));
  try {
    return await f();
  } finally {
    for (const e of events) {
      for (const l of proc.listeners(e)) {
        if (!before.get(e)!.has(l)) proc.removeListener(e, l);
      }
    }
  }
}

let wasmPathsSet = false;

async function tryWasm(): Promise<Attempt> {
  let wasmPkg: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return { ok: false, reason: `@tensorflow/tfjs-backend-wasm failed to load: ${oneLine(err)}` };
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const binary = simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
  try {
    if (!wasmPathsSet) {
      // Node: emscripten reads <prefix><binary> from disk; point it at the package's own dist directory.
      const dir = path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm'));
      if (!existsSync(path.join(dir, binary))) return { ok: false, reason: `${binary} not found in ${dir}` };
      wasmPkg.setWasmPaths(dir + path.sep);
      wasmPathsSet = true;
    }
    const { value, warnings } = await withoutEmscriptenHandlers(() => captureWarnings(() => tf.setBackend('wasm')));
    if (!value) return { ok: false, reason: `failed to initialise: ${warnings.at(-1) ?? 'unknown error'}` };
    registerWasmKernels();
    smokeTest();
  } catch (err) {
    return { ok: false, reason: oneLine(err) };
  }
  const threads = wasmPkg.getThreadsCount();
  return {
    ok: true,
    detail: `${simd ? 'SIMD' : 'non-SIMD (no wasm SIMD in this runtime)'} build, XNNPACK, ${threads} thread(s), ` +
      'own Conv2DBackpropFilter/Conv2DBackpropInput/BatchMatMul kernels',
  };
}

async function useCpu(): Promise<Attempt> {
  if (!(await tf.setBackend('cpu'))) return { ok: false, reason: 'failed to initialise' };
  return { ok: true, detail: 'pure JavaScript' };
}

const candidates: Record<TfjsBackendName, () => Promise<Attempt>> = {
  'tensorflow-gpu': () => tryTensorflow('@tensorflow/tfjs-node-gpu'),
  tensorflow: () => tryTensorflow('@tensorflow/tfjs-node'),
  wasm: tryWasm,
  cpu: useCpu,
};

const order: Record<Exclude<BackendChoice, 'onnx'>, TfjsBackendName[]> = {
  auto: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'],
  tensorflow: ['tensorflow-gpu', 'tensorflow'],
  wasm: ['wasm'],
  cpu: ['cpu'],
};

async function select(choice: BackendChoice): Promise<BackendReport> {
  if (choice === 'auto' || choice === 'onnx') {
    const probe = await probeOnnx();
    const inference = probe.ok && syncOrt() != null;
    const reason = probe.ok && !inference ? `${probe.reason}; inference stays on TF.js (${syncOrtFailure()})` : probe.reason;
    const onnx: BackendReason = { backend: 'onnx', ok: probe.ok, reason };
    if (!probe.ok && choice === 'onnx') throw new Error(`backend 'onnx' is unavailable (${probe.reason})`);
    const rest = await selectTfjs('auto');
    setOnnxInference(inference);
    if (!probe.ok) return { ...rest, reasons: [onnx, ...rest.reasons] };
    const companion = rest.reasons.map((r) => (r.ok ? { ...r, reason: `${r.reason}; for what ONNX does not run` } : r));
    return { name: 'onnx', tfjs: rest.tfjs, provider: probe.provider, reasons: [onnx, ...companion] };
  }
  const rest = await selectTfjs(choice);
  setOnnxInference(false);
  return { ...rest, reasons: [{ backend: 'onnx', ok: false, reason: `not tried: backend '${choice}' was requested` }, ...rest.reasons] };
}

async function selectTfjs(choice: Exclude<BackendChoice, 'onnx'>): Promise<BackendReport & { name: TfjsBackendName }> {
  const list = Object.hasOwn(order, choice) ? order[choice] : undefined;
  if (list == null) throw new Error(`unknown backend '${String(choice)}' (expected auto, onnx, tensorflow, wasm or cpu)`);
  const reasons: BackendReason[] = [];
  if (choice !== 'auto') {
    // Explicit choice: the better backends were not tried; say so, so the report reads the same everywhere.
    for (const name of order.auto.slice(0, order.auto.indexOf(list[0]))) {
      reasons.push({ backend: name, ok: false, reason: `not tried: backend '${choice}' was requested` });
    }
  }
  for (const name of list) {
    const attempt = await candidates[name]();
    if (attempt.ok) {
      reasons.push({ backend: name, ok: true, reason: attempt.detail });
      return { name, tfjs: name, reasons };
    }
    reasons.push({ backend: name, ok: false, reason: attempt.reason });
  }
  const why = reasons.filter((r) => list.includes(r.backend as TfjsBackendName))
    .map((r) => `${r.backend}: ${r.reason}`).join('; ');
  throw new Error(`backend '${choice}' is unavailable (${why})`);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Makes `choice` the active TF.js backend and says which runs and why each better one does not.
 * Safe to call repeatedly (calls are serialised; setup steps are idempotent).
 */
export function initBackend(choice: BackendChoice): Promise<BackendReport> {
  const run = queue.then(() => select(choice));
  queue = run.catch(() => undefined);
  return run;
}
