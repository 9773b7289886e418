// Fits a generator's sampling prior to its aggregate posterior: the posterior means of (up to) PRIOR_IMAGES
// training images, seeded, so a resumed run fits the same prior as an uninterrupted one.
import { gatherBatch } from '../ml/batches';
import type { VaeModel } from '../ml/model';
import { onnxInferenceEnabled } from '../ml/onnx/vae-inference';
import { fitGaussianMixtureAsync } from '../ml/prior/fit-in-worker';
import { latentDetail, MIXTURE_MAX_DIMS, principalSubspace } from '../ml/prior/subspace';
import { Rng } from '../ml/rng';
import type { TrainingPixels } from '../store/training-pixels';

export const PRIOR_IMAGES = 2048;
const ENCODE_BATCH = 256;

/**
 * Mixture components for n posterior means: one per 4 images, from 10 up to 200 (fitGaussianMixture allows no
 * fewer than 4 images per component). More components follow the learned latents more closely, and the decoder
 * draws well only near what it learned: from the same weights, KID×10³ of emoji samples falls 138 → 74 (200
 * images, K 10 → 47), 108 → 91 → 64 (800 images, K 38 → 100 → 190) and 68 → 57 (3,000 images, K 100 → 200);
 * bench/reference/quality-levers.md. Where ONNX Runtime runs, the fit has a thread of its own (200 components on
 * 2,048 images: ~10 s here, ../ml/prior/em-kernels.ts); on TF.js alone it holds the engine's thread (100
 * components: ~26 s), so there the cap stays 100. Epoch-end refits are limited to a tenth of the training time.
 */
export function priorComponents(n: number, fitsOnItsOwnThread = onnxInferenceEnabled()): number {
  return Math.min(fitsOnItsOwnThread ? 200 : 100, Math.max(10, Math.floor(n / 4)));
}

/** Posterior means of up to PRIOR_IMAGES training images, in a seeded order: what the prior is fitted to. */
export function posteriorMeans(model: VaeModel, set: TrainingPixels, seed: number): { means: Float32Array; n: number } {
  const n = Math.min(set.count, PRIOR_IMAGES);
  const { size, latent } = model.arch;
  const order = new Rng(seed).permutation(set.count).subarray(0, n);
  const means = new Float32Array(n * latent);
  for (let start = 0; start < n; start += ENCODE_BATCH) {
    const ids = order.subarray(start, Math.min(n, start + ENCODE_BATCH));
    means.set(model.encode(gatherBatch(set.data, size, ids, undefined, model.imageChannels)).mu, start * latent);
  }
  return { means, n };
}

/** Fits the model's sampling prior; the fit runs on a thread of its own where it can (../ml/prior/fit-in-worker.ts). */
export async function fitPosteriorPrior(model: VaeModel, set: TrainingPixels, seed: number): Promise<void> {
  if (Math.min(set.count, PRIOR_IMAGES) < 2) return;
  const { means, n } = posteriorMeans(model, set, seed);
  const { latent } = model.arch;
  const options = { components: priorComponents(n), iterations: 15, seed };
  if (latent <= MIXTURE_MAX_DIMS) {
    model.prior = await fitGaussianMixtureAsync(means, n, latent, options);
    return;
  }
  const { subspace, coordinates } = principalSubspace(means, n, latent, MIXTURE_MAX_DIMS);
  // Off the principal directions a sample takes the detail of the nearest fitted latent: isotropic noise there
  // reads as grain, nothing as softness — emoji at 20 minutes, KID×10³ 85.4 with noise, 65.3 with nothing, 44.8
  // with the nearest latent's detail (bench/reference/quality-levers.md).
  const detail = latentDetail(means, n, subspace, coordinates);
  model.prior = { ...(await fitGaussianMixtureAsync(coordinates, n, MIXTURE_MAX_DIMS, options)), subspace: { ...subspace, residualStd: 0, detail } };
}
