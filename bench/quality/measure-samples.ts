// What one trained checkpoint is judged by: held-out PSNR and bits/dim from the eval operation, and for samples
// from each prior (the fitted mixture and N(0, I)) the set distances to the held-out real images on pretrained
// features — FID, KID and a classifier two-sample test — with a sheet of the samples written to look at.
import { initBackend, type BackendChoice } from '../../main/engine/ml/backends';
import { splitImages } from '../../main/engine/ml/batches';
import type { PriorChoice } from '../../main/engine/ml/model';
import { evaluate } from '../../main/engine/operations/evaluate';
import { loadModel } from '../../main/engine/operations/model-io';
import type { ProjectStore } from '../../main/engine/store';
import { classifierTwoSampleTest } from './classifier-two-sample';
import { featureMatrix, type FeatureMatrix } from './feature-matrix';
import { frechetDistance } from './frechet-distance';
import { kernelInceptionDistance } from './kernel-distance';
import { loadFeatureNet, type FeatureNetName } from './pretrained-features';
import { writeSheet } from './sheets';

export const PRIORS: PriorChoice[] = ['fitted', 'standard'];
const DECODE_BATCH = 64;

export interface SetDistances {
  fid: number;
  kid: number;
  kidStd: number;
  /** Held-out accuracy of the classifier two-sample test; 0.5 = indistinguishable. */
  c2st: number;
}

export interface PriorMeasurement extends SetDistances {
  /** The prior the samples really came from (a checkpoint without a fitted prior falls back to N(0, I)). */
  prior: 'fitted' | 'standard';
  sheet: string;
}

export interface CheckpointMeasurement {
  step: number;
  psnr: number;
  bitsPerDim: number;
  priors: Record<PriorChoice, PriorMeasurement>;
}

/** Features of real held-out images, computed once per dataset and shared by every run on it. */
export async function realFeatures(images: Uint8Array[], size: number, net: FeatureNetName): Promise<FeatureMatrix> {
  await initBackend('wasm');
  const model = await loadFeatureNet(net);
  try {
    return featureMatrix(await model.features(images, size));
  } finally {
    model.dispose();
  }
}

export function setDistances(real: FeatureMatrix, generated: FeatureMatrix, seed: number): SetDistances {
  const kid = kernelInceptionDistance(real, generated, { seed });
  return { fid: frechetDistance(real, generated), kid: kid.mean, kidStd: kid.std, c2st: classifierTwoSampleTest(real, generated, { seed }).accuracy };
}

export async function measureCheckpoint(
  store: ProjectStore,
  opts: { real: FeatureMatrix; samples: number; seed: number; net: FeatureNetName; backend: BackendChoice; sheetPath: (prior: PriorChoice) => string },
): Promise<CheckpointMeasurement> {
  const evaluation = await evaluate(store, { backend: opts.backend });
  const drawn: { prior: PriorChoice; actual: 'fitted' | 'standard'; images: Uint8Array[] }[] = [];
  await initBackend(opts.backend);
  const { model } = loadModel(store, evaluation.checkpointId);
  try {
    for (const prior of PRIORS) {
      const images: Uint8Array[] = [];
      let actual: 'fitted' | 'standard' = 'standard';
      for (let start = 0; start < opts.samples; start += DECODE_BATCH) {
        const count = Math.min(DECODE_BATCH, opts.samples - start);
        const { z, prior: used } = model.samplePrior(count, opts.seed + start, 1, prior);
        actual = used;
        images.push(...splitImages(model.decode(z), model.arch.size).map((img) => Uint8Array.from(img)));
      }
      drawn.push({ prior, actual, images });
    }
  } finally {
    model.dispose();
  }
  const size = store.getSettings().imageSize;
  await initBackend('wasm');
  const net = await loadFeatureNet(opts.net);
  const priors = {} as Record<PriorChoice, PriorMeasurement>;
  try {
    for (const { prior, actual, images } of drawn) {
      const features = featureMatrix(await net.features(images, size));
      const sheet = opts.sheetPath(prior);
      await writeSheet(sheet, images.slice(0, 64), size);
      priors[prior] = { prior: actual, sheet, ...setDistances(opts.real, features, opts.seed) };
    }
  } finally {
    net.dispose();
  }
  return { step: evaluation.step, psnr: evaluation.psnr, bitsPerDim: evaluation.negElboBitsPerDim, priors };
}
