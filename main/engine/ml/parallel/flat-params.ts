// Parameters and gradients as one flat Float32Array in the model's parameter order: the cheapest form to
// move between threads.
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '../params';

export function flatten(params: Params, tensors: (name: string) => tf.Tensor): Float32Array {
  let total = 0;
  for (const v of params.values()) total += v.size;
  const out = new Float32Array(total);
  let offset = 0;
  for (const [name, v] of params) {
    out.set(tensors(name).dataSync() as Float32Array, offset);
    offset += v.size;
  }
  return out;
}

/** Copies flat values into the variables. */
export function assignFlat(params: Params, flat: Float32Array): void {
  let offset = 0;
  for (const v of params.values()) {
    const t = tf.tensor(flat.subarray(offset, offset + v.size), v.shape);
    v.assign(t);
    t.dispose();
    offset += v.size;
  }
}

/** Flat values as tensors shaped like the parameters, by name (the caller disposes them). */
export function unflatten(params: Params, flat: Float32Array): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = {};
  let offset = 0;
  for (const [name, v] of params) {
    out[name] = tf.tensor(flat.subarray(offset, offset + v.size), v.shape);
    offset += v.size;
  }
  return out;
}
