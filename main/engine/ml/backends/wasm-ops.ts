/**
 * Low-level helpers for writing kernels on the TF.js wasm backend out of its own shipped kernels.
 *
 * Everything here works on TensorInfo (dataId + shape), not on tf.Tensor: kernels run inside the engine and must
 * not create tracked tensors. Every TensorInfo returned by a helper is owned by the caller, who must release it
 * with `release(backend, info)` (backend.disposeData) unless it is the kernel's own output.
 */
import { getKernel, type DataId, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

/** The part of the wasm backend (BackendWasm) that our kernels use. */
export interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

type Shape4 = [number, number, number, number];

function shippedKernel(name: string): KernelFunc {
  const config = getKernel(name, 'wasm');
  if (config == null) throw new Error(`the wasm backend has no '${name}' kernel`);
  return config.kernelFunc;
}

export function release(backend: WasmBackendLike, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** Offset, in float32 elements, of a tensor inside the wasm heap. Re-read HEAPF32 after every allocation. */
export function heapIndex(backend: WasmBackendLike, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data == null) throw new Error('tensor is not on the wasm backend');
  return data.memoryOffset >>> 2;
}

export function transpose(backend: WasmBackendLike, x: TensorInfo, perm: number[]): TensorInfo {
  return shippedKernel('Transpose')({ inputs: { x }, backend: backend as never, attrs: { perm } }) as TensorInfo;
}

/** Copies the [top:H-bottom, left:W-right] window of an NHWC tensor (all four amounts >= 0). */
export function cropNHWC(backend: WasmBackendLike, x: TensorInfo, crop: Pads): TensorInfo {
  const [n, h, w, c] = x.shape as Shape4;
  const oh = h - crop.top - crop.bottom;
  const ow = w - crop.left - crop.right;
  const out = backend.makeOutput([n, oh, ow, c], 'float32');
  const heap = backend.wasm.HEAPF32;
  const src = heapIndex(backend, x);
  const dst = heapIndex(backend, out);
  const rowLen = ow * c;
  let d = dst;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      const s = src + ((b * h + y + crop.top) * w + crop.left) * c;
      heap.copyWithin(d, s, s + rowLen);
      d += rowLen;
    }
  }
  return out;
}

export function zeros(backend: WasmBackendLike, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  const start = heapIndex(backend, out);
  const size = shape.reduce((a, b) => a * b, 1);
  backend.wasm.HEAPF32.fill(0, start, start + size);
  return out;
}

/**
 * Stride-`strides`, dilation-`dilations` valid correlation of NHWC `x` with HWIO `filter` after padding x by `pads`,
 * through the wasm backend's own XNNPACK Conv2D kernel. A negative pad crops instead (XNNPACK takes only
 * non-negative padding). The output is [N, outH, outW, filter.shape[3]].
 */
export function convPadded(
  backend: WasmBackendLike,
  x: TensorInfo,
  filter: TensorInfo,
  pads: Pads,
  strides: [number, number] = [1, 1],
  dilations: [number, number] = [1, 1],
): TensorInfo {
  const [n, h, w] = x.shape as Shape4;
  const [fh, fw, , outC] = filter.shape as Shape4;
  const effH = (fh - 1) * dilations[0] + 1;
  const effW = (fw - 1) * dilations[1] + 1;
  const outH = Math.floor((h + pads.top + pads.bottom - effH) / strides[0]) + 1;
  const outW = Math.floor((w + pads.left + pads.right - effW) / strides[1]) + 1;
  if (outH <= 0 || outW <= 0) throw new Error(`convPadded: empty output ${outH}x${outW}`);
  const crop: Pads = {
    top: Math.max(0, -pads.top),
    bottom: Math.max(0, -pads.bottom),
    left: Math.max(0, -pads.left),
    right: Math.max(0, -pads.right),
  };
  const needsCrop = crop.top + crop.bottom + crop.left + crop.right > 0;
  if (needsCrop && (crop.top + crop.bottom >= h || crop.left + crop.right >= w)) {
    // The whole window lies in the padding: the correlation is identically zero.
    return zeros(backend, [n, outH, outW, outC]);
  }
  const input = needsCrop ? cropNHWC(backend, x, crop) : x;
  const pad = [
    [0, 0],
    [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)],
    [0, 0],
  ];
  try {
    const out = shippedKernel('Conv2D')({
      inputs: { x: input, filter },
      backend: backend as never,
      attrs: { strides, pad, dataFormat: 'NHWC', dilations, dimRoundingMode: 'floor' } as never,
    }) as TensorInfo;
    if (out.shape[1] !== outH || out.shape[2] !== outW) {
      release(backend, out);
      throw new Error(`convPadded: expected ${outH}x${outW}, Conv2D gave ${out.shape[1]}x${out.shape[2]}`);
    }
    return out;
  } finally {
    if (input !== x) release(backend, input);
  }
}
