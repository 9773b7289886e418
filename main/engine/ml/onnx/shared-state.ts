// Training state shared by the ONNX trainer's threads without copies: parameters, Adam moments and one gradient
// slot per thread live in SharedArrayBuffers, each parameter a view at a fixed offset, in ONNX layouts.
import type { ParamSpec } from '../params';
import { onnxShape } from './layout';

export interface ParamSlot {
  name: string;
  /** Shape as ONNX sees it. */
  shape: number[];
  offset: number;
  size: number;
}

export interface SharedBuffers {
  params: SharedArrayBuffer;
  m: SharedArrayBuffer;
  v: SharedArrayBuffer;
  /** One gradient buffer per thread. */
  grads: SharedArrayBuffer[];
}

export function layoutParams(specs: ParamSpec[]): { slots: ParamSlot[]; total: number } {
  let offset = 0;
  const slots = specs.map((s) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const slot = { name: s.name, shape: onnxShape(s.shape), offset, size };
    offset += size;
    return slot;
  });
  return { slots, total: offset };
}

export function allocateShared(total: number, threads: number): SharedBuffers {
  const buffer = () => new SharedArrayBuffer(total * 4);
  return { params: buffer(), m: buffer(), v: buffer(), grads: Array.from({ length: threads }, buffer) };
}

export interface AdamHyper {
  beta1: number;
  beta2: number;
  eps: number;
  /** lr / (1 − beta1^t) */
  stepSize: number;
  /** √(1 − beta2^t) */
  sqrtBc2: number;
}

/**
 * Adam (PyTorch's rule, as ../adam.ts) on elements [from, to) with the gradient Σ weights[i] · grads[i]. Each
 * thread updates its own range, so the update costs 1/threads of a pass over the parameters.
 */
export function adamRange(
  buffers: { params: Float32Array; m: Float32Array; v: Float32Array; grads: Float32Array[] },
  weights: number[],
  from: number,
  to: number,
  h: AdamHyper,
): void {
  const { params: p, m, v, grads } = buffers;
  const f = Math.fround;
  const b1 = f(h.beta1);
  const b2 = f(h.beta2);
  const c1 = f(1 - h.beta1);
  const c2 = f(1 - h.beta2);
  const [g0, g1] = grads;
  const [w0, w1] = weights;
  for (let i = from; i < to; i++) {
    let g: number;
    if (grads.length === 1) g = g0[i];
    else if (grads.length === 2) g = f(f(g0[i] * w0) + f(g1[i] * w1));
    else {
      g = 0;
      for (let t = 0; t < grads.length; t++) g = f(g + f(grads[t][i] * weights[t]));
    }
    const mi = f(f(m[i] * b1) + f(g * c1));
    const vi = f(f(v[i] * b2) + f(f(g * g) * c2));
    m[i] = mi;
    v[i] = vi;
    p[i] = f(p[i] - f(f(mi / f(f(Math.sqrt(vi) / h.sqrtBc2) + h.eps)) * h.stepSize));
  }
}
