// Fits a generator's sampling prior to its aggregate posterior: the posterior means of (up to) PRIOR_IMAGES
// training images, seeded, so a resumed run fits the same prior as an uninterrupted one.
import { gatherBatch } from '../ml/batches';
import type { VaeModel } from '../ml/model';
import { fitGaussianMixture } from '../ml/prior/gmm';
import { Rng } from '../ml/rng';
import type { TrainingPixels } from '../store/training-pixels';

export const PRIOR_IMAGES = 2048;
export const PRIOR_COMPONENTS = 10;
const ENCODE_BATCH = 256;

export function fitPosteriorPrior(model: VaeModel, set: TrainingPixels, seed: number): void {
  const n = Math.min(set.count, PRIOR_IMAGES);
  if (n < 2) return;
  const { size, latent } = model.arch;
  const order = new Rng(seed).permutation(set.count).subarray(0, n);
  const means = new Float32Array(n * latent);
  for (let start = 0; start < n; start += ENCODE_BATCH) {
    const ids = order.subarray(start, Math.min(n, start + ENCODE_BATCH));
    means.set(model.encode(gatherBatch(set.data, size, ids, undefined, model.imageChannels)).mu, start * latent);
  }
  model.prior = fitGaussianMixture(means, n, latent, { components: PRIOR_COMPONENTS, iterations: 15, seed });
}
