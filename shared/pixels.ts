// Pixel layout helpers both the engine and the renderer need. No Node, no DOM.

/** RGB (3 bytes per pixel) to RGBA with opaque alpha, in a fresh buffer of its own (no shared or offset views). */
export function rgbToRgba(rgb: ArrayLike<number>, pixels: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(pixels * 4);
  for (let i = 0, j = 0; i < pixels; i++, j += 3) {
    out[i * 4] = rgb[j];
    out[i * 4 + 1] = rgb[j + 1];
    out[i * 4 + 2] = rgb[j + 2];
    out[i * 4 + 3] = 255;
  }
  return out;
}
