// Turns the store's packed 8-bit pixels into model inputs, and model outputs back into 8-bit pixels.
//
// Transparency: images with alpha are stored and written as ordinary (straight) RGBA, but the model sees and makes
// colour premultiplied by alpha (R·α, G·α, B·α, α). Premultiplied, every fully transparent pixel is (0, 0, 0, 0)
// whatever colour the file kept under it, so the model spends no capacity on invisible colour, and resampling or
// blending premultiplied values never bleeds hidden colour into edges. Premultiplying is done on the 8-bit values
// (rounded), so the model's targets stay on the 256 levels its discretized likelihood is defined over.
import type { Rng } from './rng';

/** round(c·a / 255) in integers: the 8-bit premultiplied value. */
const premultiply = (c: number, a: number) => ((c * a + 127) / 255) | 0;

/**
 * Gathers images `indices` from packed HWC uint8 data (`channels` per pixel) into [-1, 1] floats, flipping each
 * left–right when asked. With 4 channels the colour is premultiplied by alpha (see the top of this file).
 */
export function gatherBatch(data: Uint8Array, size: number, indices: ArrayLike<number>, flips?: ArrayLike<boolean>, channels = 3): Float32Array {
  if (channels === 4) return gatherRgba(data, size, indices, flips);
  const per = size * size * 3;
  const row = size * 3;
  const out = new Float32Array(indices.length * per);
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b] * per;
    const dst = b * per;
    if (flips?.[b]) {
      for (let y = 0; y < size; y++) {
        const rowSrc = src + y * row;
        const rowDst = dst + y * row;
        for (let x = 0; x < size; x++) {
          const s = rowSrc + (size - 1 - x) * 3;
          const d = rowDst + x * 3;
          out[d] = data[s] / 127.5 - 1;
          out[d + 1] = data[s + 1] / 127.5 - 1;
          out[d + 2] = data[s + 2] / 127.5 - 1;
        }
      }
    } else {
      for (let i = 0; i < per; i++) out[dst + i] = data[src + i] / 127.5 - 1;
    }
  }
  return out;
}

/** gatherBatch for straight RGBA data: premultiplied colour and alpha, 4 values per pixel. */
function gatherRgba(data: Uint8Array, size: number, indices: ArrayLike<number>, flips?: ArrayLike<boolean>): Float32Array {
  const per = size * size * 4;
  const out = new Float32Array(indices.length * per);
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b] * per;
    const dst = b * per;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const s = src + (y * size + (flips?.[b] ? size - 1 - x : x)) * 4;
        const d = dst + (y * size + x) * 4;
        const a = data[s + 3];
        out[d] = premultiply(data[s], a) / 127.5 - 1;
        out[d + 1] = premultiply(data[s + 1], a) / 127.5 - 1;
        out[d + 2] = premultiply(data[s + 2], a) / 127.5 - 1;
        out[d + 3] = a / 127.5 - 1;
      }
    }
  }
  return out;
}

export function randomFlips(rng: Rng, n: number): boolean[] {
  return Array.from({ length: n }, () => rng.next() < 0.5);
}

/**
 * [-1, 1] floats → 8-bit pixels, rounded half up and clamped (NaN → 0). floor(t + ½) by truncation of a
 * positive value: the same result as Math.round, 4× faster (a 64-image 64×64 decode: 2.1 ms against 8.1 ms).
 */
export function toPixels(values: Float32Array | ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const t = (values[i] + 1) * 127.5 + 0.5;
    out[i] = t >= 255 ? 255 : t > 0 ? t | 0 : 0;
  }
  return out;
}

/**
 * Premultiplied RGBA bytes (what a 4-channel model makes) to straight RGBA, in place: colour = round(c·255 / α),
 * at most 255 (a model may make colour brighter than its alpha allows); fully transparent pixels become (0, 0, 0, 0).
 */
export function unpremultiply(pixels: Uint8Array): Uint8Array {
  for (let i = 0; i < pixels.length; i += 4) {
    const a = pixels[i + 3];
    if (a === 255) continue;
    for (let c = 0; c < 3; c++) pixels[i + c] = a === 0 ? 0 : Math.min(255, ((pixels[i + c] * 255 + (a >> 1)) / a) | 0);
  }
  return pixels;
}

/**
 * Straight RGBA to the RGBA the model gives back for it: colour premultiplied to 8 bits and back (a pixel's colour
 * is known only as precisely as its alpha allows; fully transparent ones become (0, 0, 0, 0)). In place. Import
 * stores images this way, so originals and reconstructions compare like for like.
 */
export function canonicalRgba(pixels: Uint8Array): Uint8Array {
  for (let i = 0; i < pixels.length; i += 4) {
    const a = pixels[i + 3];
    for (let c = 0; c < 3; c++) pixels[i + c] = premultiply(pixels[i + c], a);
  }
  return unpremultiply(pixels);
}

/** Splits a packed batch of images (`channels` per pixel) into one Uint8Array per image. */
export function splitImages(pixels: Uint8Array, size: number, channels = 3): Uint8Array[] {
  const per = size * size * channels;
  return Array.from({ length: pixels.length / per }, (_, i) => pixels.subarray(i * per, (i + 1) * per));
}
