// Square crops cut from a decoded image, at positions drawn from the image's content hash (re-importing the same
// file gives the same crops, and no random state needs storing).

/** `count` crops of side `size` from an RGB HWC image at least size × size, packed one after another. */
export function cutCrops(pixels: Uint8Array, width: number, height: number, size: number, count: number, sha256: string): Uint8Array {
  if (width < size || height < size) throw new RangeError(`Cannot cut ${size}×${size} crops from a ${width}×${height} image`);
  const out = new Uint8Array(count * size * size * 3);
  let state = Number.parseInt(sha256.slice(0, 8), 16) >>> 0;
  const next = (n: number) => {
    // xorshift32: a few draws per crop, quality is not critical here.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % n;
  };
  if (state === 0) state = 0x9e3779b9;
  for (let k = 0; k < count; k++) {
    const x0 = next(width - size + 1);
    const y0 = next(height - size + 1);
    for (let y = 0; y < size; y++) {
      const from = ((y0 + y) * width + x0) * 3;
      out.set(pixels.subarray(from, from + size * 3), (k * size + y) * size * 3);
    }
  }
  return out;
}
