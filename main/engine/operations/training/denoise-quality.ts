// How well a denoiser denoises, measured as a person would: the PSNR of its output on held-out crops with
// Gaussian noise at the strengths photos commonly carry. Training records it at each epoch's end beside the
// shipped weights' score on the same crops, and the denoiser used is the best of them (operations/denoiser-session.ts):
// training on one's own photos can then never make denoising worse than the shipped starting point.
import type { DenoiserModel } from '../../ml/denoiser/model';
import { Rng } from '../../ml/rng';
import type { TrainingPixels } from '../../store/training-pixels';

/** Noise strengths measured, on 0..255. */
export const QUALITY_SIGMAS = [15, 25, 50] as const;
/** At most this many crops are measured (spread over the set). */
export const QUALITY_CROPS = 24;

/** Mean PSNR (dB) of `model`'s output over the measured crops and noise strengths; the same crops and noise each call. */
export function denoisingPsnr(model: DenoiserModel, set: TrainingPixels, crops: number, cropSide: number, seed: number): number {
  const side = cropSide - (cropSide % 2);
  const per = cropSide * cropSide * 3;
  const count = Math.min(QUALITY_CROPS, crops);
  if (count === 0) return Number.NaN;
  const rng = new Rng(seed);
  let total = 0;
  for (let c = 0; c < count; c++) {
    const crop = Math.floor((c * crops) / count);
    const clean = new Float32Array(side * side * 3);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side * 3; x++) clean[y * side * 3 + x] = set.data[crop * per + y * cropSide * 3 + x] / 255;
    }
    for (const sigma of QUALITY_SIGMAS) {
      const noise = rng.normals(clean.length, sigma / 255);
      const noisy = clean.map((v, i) => Math.min(1, Math.max(0, v + noise[i])));
      const out = model.denoise(noisy, side, side);
      let se = 0;
      for (let i = 0; i < out.length; i++) {
        const d = Math.min(1, Math.max(0, out[i])) - clean[i];
        se += d * d;
      }
      total += 10 * Math.log10(1 / Math.max(se / out.length, 1e-12));
    }
  }
  return total / (count * QUALITY_SIGMAS.length);
}
