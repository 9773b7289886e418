// Training a denoiser: each stored row holds CROPS_PER_PHOTO clean crops of a photo at native resolution; every
// step cuts random patches from them, flips/rotates them and adds synthetic noise of random strength
// (ml/denoiser/synthetic-noise.ts). The loss is the negative ELBO of the CLEAN patch given the noisy one.
import { basename } from 'node:path';
import { toPixels } from '../../ml/batches';
import { BEST_DENOISER, DEFAULT_DENOISER, type DenoiserConfig } from '../../ml/denoiser/architecture';
import { DenoiserModel } from '../../ml/denoiser/model';
import { pretrainedDenoiser } from '../../ml/denoiser/pretrained';
import { noisyPatches } from '../../ml/denoiser/synthetic-noise';
import { Rng } from '../../ml/rng';
import type { TrainingPixels } from '../../store/training-pixels';
import { DENOISE_CROPS_PER_PHOTO, type SavedSettings } from '../../store/settings';
import { encodePng, makeGrid } from '../../images';
import { denoisingPsnr } from './denoise-quality';
import type { TrainingKind } from './kind';

/** Crops stored per photo at import (each imageSize × imageSize at native resolution). */
export const CROPS_PER_PHOTO = DENOISE_CROPS_PER_PHOTO;
/** Side of the patches trained on (the model is fully convolutional: any size works at inference). */
export const TRAIN_PATCH = 64;
const PREVIEW_CROPS = 6;
export const DEFAULT_DENOISE_BETA = 0.01;
/**
 * Learning rate of a run that starts from the shipped weights: at the generator's 1e-3, Adam's first step throws
 * them away (−7.2 dB at σ 25 after one step, still −0.63 dB after 30) and fine-tuning made denoising worse; at 1e-4
 * it never drops more than 0.15 dB and ends +0.05 dB (bench/reference/denoise-finetune-study.md).
 */
export const FINE_TUNE_LR = 1e-4;

export function denoiserConfigFor(settings: { latentSize: number }): DenoiserConfig {
  return { ...DEFAULT_DENOISER, latent: settings.latentSize };
}

/**
 * The network a denoise project trains: the one it denoises with. For making the shipped weights only,
 * VAE_STUDIO_TRAIN_DENOISER=best trains the larger network instead, starting from resources/denoiser's file for it
 * (resources/denoiser/README.md); such checkpoints are for scripts/export-denoiser.ts, not for denoising.
 */
function trainedConfig(settings: { latentSize: number }): DenoiserConfig {
  return process.env.VAE_STUDIO_TRAIN_DENOISER === 'best' ? { ...BEST_DENOISER } : denoiserConfigFor(settings);
}

export function denoiseTraining(settings: SavedSettings): TrainingKind {
  const cropSide = settings.imageSize;
  const patch = Math.min(TRAIN_PATCH, cropSide - (cropSide % 2));
  const config = trainedConfig(settings);
  const dn = (m: unknown) => m as DenoiserModel;
  const batch = (model: unknown, set: TrainingPixels, indices: ArrayLike<number>, rng: Rng) => {
    const { clean, noisy } = noisyPatches(set.data, cropSide, indices, patch, rng);
    return DenoiserModel.batch(clean, noisy, rng.normals(indices.length * dn(model).latentSize(patch)), indices.length);
  };
  return {
    examplesPerImage: CROPS_PER_PHOTO,
    // A light KL weight: the latent map must carry a whole image's detail, and each nat of it costs beta.
    defaultBeta: DEFAULT_DENOISE_BETA,
    defaultLr: pretrainedDenoiser(config) ? FINE_TUNE_LR : undefined,
    dims: patch * patch * 3,
    createModel: (seed) => DenoiserModel.create(config, seed),
    initialWeights: () => {
      const pre = pretrainedDenoiser(config);
      return pre && { weights: pre.weights, notice: `Starting from the pretrained denoiser (${basename(pre.path)})` };
    },
    batch,
    evaluate: (model, set, size, seed) => {
      const rng = new Rng(seed);
      const count = set.count * CROPS_PER_PHOTO;
      let recon = 0;
      let kl = 0;
      for (let start = 0; start < count; start += size) {
        const indices = Array.from({ length: Math.min(size, count - start) }, (_, i) => start + i);
        const terms = dn(model).evaluate(batch(model, set, indices, rng));
        recon += terms.recon;
        kl += terms.kl;
      }
      return { recon: recon / count, kl: kl / count, total: (recon + kl) / count };
    },
    quality: (model, set, seed) => denoisingPsnr(dn(model), set, set.count * CROPS_PER_PHOTO, cropSide, seed),
    startingQuality: (set, seed) => {
      const pre = pretrainedDenoiser(config);
      if (!pre) return undefined;
      const shipped = DenoiserModel.create(config, 0);
      try {
        shipped.load(pre.weights);
        return denoisingPsnr(shipped, set, set.count * CROPS_PER_PHOTO, cropSide, seed);
      } finally {
        shipped.dispose();
      }
    },
    previews: async (model, set, seed) => {
      // Noisy (sigma drawn per crop), denoised, clean: one column per crop.
      const n = Math.min(PREVIEW_CROPS, set.count); // the first crop of each of the first photos
      const indices = Array.from({ length: n }, (_, i) => i * CROPS_PER_PHOTO);
      const { clean, noisy } = noisyPatches(set.data, cropSide, indices, cropSide - (cropSide % 2), new Rng(seed));
      const side = cropSide - (cropSide % 2);
      const per = side * side * 3;
      const rows: Uint8Array[][] = [[], [], []];
      for (let i = 0; i < n; i++) {
        const noisy01 = noisy.subarray(i * per, (i + 1) * per).map((v) => (v + 1) / 2);
        const out = dn(model).denoise(noisy01, side, side);
        rows[0].push(toPixels(noisy.subarray(i * per, (i + 1) * per)));
        rows[1].push(toPixels(out.map((v) => v * 2 - 1)));
        rows[2].push(toPixels(clean.subarray(i * per, (i + 1) * per)));
      }
      const grid = makeGrid(rows.flat(), side, n);
      return [{ kind: 'reconstruction', png: await encodePng(grid.pixels, grid.width, grid.height) }];
    },
  };
}
