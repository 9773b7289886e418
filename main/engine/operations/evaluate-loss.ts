// Held-out loss: the negative ELBO over a whole image set, one seeded z per image, in batches.
import { gatherBatch } from '../ml/batches';
import type { LossTerms, VaeModel } from '../ml/model';
import { Rng } from '../ml/rng';

export function evaluateLoss(model: VaeModel, pixels: Uint8Array, count: number, batch: number, seed: number): LossTerms {
  const rng = new Rng(seed);
  let recon = 0;
  let kl = 0;
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const indices = Array.from({ length: n }, (_, i) => start + i);
    const terms = model.lossPerImage(gatherBatch(pixels, model.arch.size, indices, undefined, model.imageChannels), rng.normals(n * model.arch.latent));
    for (let i = 0; i < n; i++) {
      recon += terms.recon[i];
      kl += terms.kl[i];
    }
  }
  return { recon: recon / count, kl: kl / count, total: (recon + kl) / count };
}
