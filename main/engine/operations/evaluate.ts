// eval: how well a checkpoint models the held-out images — reconstruction NLL, KL and negative ELBO in nats per
// image and bits per dimension, and the PSNR of reconstructions from the posterior mean.
import { initBackend, type BackendChoice } from '../ml/backends';
import { gatherBatch } from '../ml/batches';
import { bitsPerDim } from '../ml/loss';
import type { ProjectStore } from '../store';
import { evaluateLoss } from './evaluate-loss';
import { loadModel } from './model-io';

export interface EvalResult {
  checkpointId: number;
  step: number;
  images: number;
  split: 'val';
  reconNats: number;
  klNats: number;
  negElboNats: number;
  reconBitsPerDim: number;
  negElboBitsPerDim: number;
  psnr: number;
}

const EVAL_BATCH = 64;
const EVAL_SEED = 1234;

export async function evaluate(store: ProjectStore, opts: { checkpointId?: number; backend?: BackendChoice } = {}): Promise<EvalResult> {
  await initBackend(opts.backend ?? 'auto');
  const val = store.images.loadPixels('val');
  if (val.count === 0) throw new Error(`${store.path} has no held-out images to evaluate on (import at least 2 images)`);
  const { model, checkpoint } = loadModel(store, opts.checkpointId);
  try {
    if (model.imageChannels !== store.getSettings().imageChannels) {
      throw new Error(
        `Checkpoint ${checkpoint.id} was trained on ${model.imageChannels === 4 ? 'RGBA' : 'RGB'} images and the project's images are now ${model.imageChannels === 4 ? 'RGB' : 'RGBA'}; evaluate a checkpoint of a newer run`,
      );
    }
    const dims = model.imageDims;
    const loss = evaluateLoss(model, val.data, val.count, EVAL_BATCH, EVAL_SEED);
    let squaredError = 0;
    for (let start = 0; start < val.count; start += EVAL_BATCH) {
      const n = Math.min(EVAL_BATCH, val.count - start);
      const indices = Array.from({ length: n }, (_, i) => start + i);
      const recon = model.decode(model.encode(gatherBatch(val.data, model.arch.size, indices, undefined, model.imageChannels)).mu);
      const offset = start * dims;
      for (let i = 0; i < recon.length; i++) {
        const d = recon[i] - val.data[offset + i];
        squaredError += d * d;
      }
    }
    const mse = squaredError / (val.count * dims);
    return {
      checkpointId: checkpoint.id,
      step: checkpoint.step,
      images: val.count,
      split: 'val',
      reconNats: loss.recon,
      klNats: loss.kl,
      negElboNats: loss.total,
      reconBitsPerDim: bitsPerDim(loss.recon, dims),
      negElboBitsPerDim: bitsPerDim(loss.total, dims),
      psnr: mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse),
    };
  } finally {
    model.dispose();
  }
}
