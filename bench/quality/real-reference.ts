// The real side of every comparison on one dataset: features of the held-out images (what samples are measured
// against), their sheet, and the floor — real training images put through the same measures, which shows how
// far from zero FID/KID/C2ST sit for sets of this size even when nothing is generated.
import { join } from 'node:path';
import { Rng } from '../../main/engine/ml/rng';
import type { ProjectStore } from '../../main/engine/store';
import type { FeatureMatrix } from './feature-matrix';
import { realFeatures, setDistances, type SetDistances } from './measure-samples';
import type { FeatureNetName } from './pretrained-features';
import { writeSheet } from './sheets';
import { readRgb, smallFolderSplit } from './small-folder-split';

export interface RealReference {
  heldOut: FeatureMatrix;
  heldOutSheet: string;
  floor: SetDistances;
}

export async function realReference(
  store: ProjectStore,
  opts: { sheetsFolder: string; floorImages: number; seed: number; net: FeatureNetName },
): Promise<RealReference> {
  const size = store.getSettings().imageSize;
  const bytes = size * size * 3;
  const val = store.images.loadPixels('val');
  const heldOutImages = Array.from({ length: val.count }, (_, i) => val.data.slice(i * bytes, (i + 1) * bytes));
  const heldOutSheet = join(opts.sheetsFolder, 'real-heldout.png');
  await writeSheet(heldOutSheet, heldOutImages.slice(0, 64), size);
  const heldOut = await realFeatures(heldOutImages, size, opts.net);
  const train = store.images.loadPixels('train');
  const picked = new Rng(opts.seed).permutation(train.count).subarray(0, Math.min(opts.floorImages, train.count));
  const trainImages = Array.from(picked, (i) => train.data.slice(i * bytes, (i + 1) * bytes));
  const floor = setDistances(heldOut, await realFeatures(trainImages, size, opts.net), opts.seed);
  return { heldOut, heldOutSheet, floor };
}

/**
 * The same for a small-folder project (./small-folder.ts): its dataset's unseen reference images instead of the
 * project's own few held-out ones, and the floor from the images it was trained on.
 */
export async function unseenReference(
  dataset: string,
  opts: { sheetsFolder: string; datasetsFolder: string; trainCount: number; refCount: number; floorImages: number; seed: number; net: FeatureNetName },
): Promise<RealReference> {
  const split = await smallFolderSplit(dataset, { ...opts, log: console.log });
  const heldOutSheet = join(opts.sheetsFolder, `${dataset}-unseen.png`);
  await writeSheet(heldOutSheet, split.reference.slice(0, 64), split.size);
  const heldOut = await realFeatures(split.reference, split.size, opts.net);
  const trainImages = await Promise.all(split.trainFiles.slice(0, opts.floorImages).map((f) => readRgb(f, split.size)));
  const floor = setDistances(heldOut, await realFeatures(trainImages, split.size, opts.net), opts.seed);
  return { heldOut, heldOutSheet, floor };
}
