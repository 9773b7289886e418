// Checkpoints keep weights in TF.js layouts ([k, k, in, out] for a convolution, [k, k, out, in] for a transposed
// one); ONNX wants [out, in, k, k] and [in, out, k, k]. Both are the same permutation of a rank-4 weight, so the
// ONNX path converts at its boundary (loading and saving), never per step.
import type { Params, ParamSpec } from '../params';
export const TO_ONNX = [3, 2, 0, 1];
export const FROM_ONNX = [2, 3, 1, 0];

export function onnxShape(shape: readonly number[]): number[] {
  return shape.length === 4 ? TO_ONNX.map((p) => shape[p]) : [...shape];
}

/** Permutes a rank-4 array (other ranks are copied): out[i0,i1,i2,i3] = in[index permuted by perm]. */
export function permute4(values: Float32Array<ArrayBufferLike>, shape: readonly number[], perm: readonly number[], out: Float32Array<ArrayBufferLike> = new Float32Array(values.length)): Float32Array<ArrayBufferLike> {
  if (shape.length !== 4) {
    out.set(values);
    return out;
  }
  const outShape = perm.map((p) => shape[p]);
  const strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const s = perm.map((p) => strides[p]);
  let o = 0;
  for (let a = 0; a < outShape[0]; a++) {
    for (let b = 0; b < outShape[1]; b++) {
      for (let c = 0; c < outShape[2]; c++) {
        let i = a * s[0] + b * s[1] + c * s[2];
        for (let d = 0; d < outShape[3]; d++, i += s[3]) out[o++] = values[i];
      }
    }
  }
  return out;
}

export const toOnnxLayout = (values: Float32Array<ArrayBufferLike>, shape: readonly number[], out?: Float32Array<ArrayBufferLike>) => permute4(values, shape, TO_ONNX, out);
export const fromOnnxLayout = (values: Float32Array<ArrayBufferLike>, checkpointShape: readonly number[], out?: Float32Array<ArrayBufferLike>) =>
  permute4(values, onnxShape(checkpointShape), FROM_ONNX, out);

/** Model parameters (TF.js variables) as ONNX-layout arrays, for `specs` — what inference graphs bake in. */
export function onnxWeights(params: Params, specs: ParamSpec[]): Map<string, Float32Array> {
  return new Map(specs.map((s) => [s.name, toOnnxLayout(params.get(s.name)!.dataSync() as Float32Array, s.shape) as Float32Array]));
}
