// The "best" denoising quality of a fine-tuned project (the shipped larger network knows nothing of its training):
// the same weights run on the tile in all eight orientations (flips and a transpose), each result turned back and
// averaged. The errors of the views are partly independent, so the mean is cleaner — measured on skimage's five
// photos at σ 25: +0.33 dB over one view (29.76 against 29.43), at 8× the work (bench/reference/denoise-quality.md).
import { type DenoiseQualityChoice, denoiseQualitySchema } from '../../../../shared/services/denoise';

export type DenoiseQuality = DenoiseQualityChoice;
export const DENOISE_QUALITIES: readonly DenoiseQuality[] = denoiseQualitySchema.options;

/** Orientation k: bit 1 mirrors x, bit 2 mirrors y, bit 4 swaps x and y (after the mirrors). Eight in all. */
export const ORIENTATIONS = 8;

type TileFn = (tile: Float32Array, width: number, height: number) => Float32Array | Promise<Float32Array>;

/**
 * Copies between an HWC image (width × height) and its orientation k: `forward` writes oriented[k(p)] = image[p],
 * otherwise image[p] = oriented[k(p)].
 */
function reorient(from: Float32Array, width: number, height: number, channels: number, k: number, forward: boolean): Float32Array {
  const out = new Float32Array(from.length);
  const orientedWidth = k & 4 ? height : width;
  for (let y = 0; y < height; y++) {
    const sy = k & 2 ? height - 1 - y : y;
    for (let x = 0; x < width; x++) {
      const sx = k & 1 ? width - 1 - x : x;
      const plain = (y * width + x) * channels;
      const oriented = (k & 4 ? sx * orientedWidth + sy : sy * orientedWidth + sx) * channels;
      const [dst, src] = forward ? [oriented, plain] : [plain, oriented];
      for (let c = 0; c < channels; c++) out[dst + c] = from[src + c];
    }
  }
  return out;
}

export const orient = (image: Float32Array, width: number, height: number, channels: number, k: number) => reorient(image, width, height, channels, k, true);
export const unorient = (oriented: Float32Array, width: number, height: number, channels: number, k: number) => reorient(oriented, width, height, channels, k, false);

/** `run` on every orientation of an RGB tile, each turned back, averaged. */
export async function denoiseAllOrientations(run: TileFn, tile: Float32Array, width: number, height: number): Promise<Float32Array> {
  const sum = new Float32Array(tile.length);
  for (let k = 0; k < ORIENTATIONS; k++) {
    const [w, h] = k & 4 ? [height, width] : [width, height];
    const back = unorient(await run(orient(tile, width, height, 3, k), w, h), width, height, 3, k);
    for (let i = 0; i < sum.length; i++) sum[i] += back[i];
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= ORIENTATIONS;
  return sum;
}

/** The tile function for a quality. */
export function tileFnFor(quality: DenoiseQuality, run: TileFn): TileFn {
  return quality === 'best' ? (tile, w, h) => denoiseAllOrientations(run, tile, w, h) : run;
}
