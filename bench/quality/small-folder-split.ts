// The small-folder benches' split of a dataset: a seeded order of its images, the first `trainCount` to train on
// (copied into a folder to import) and the next `refCount` as unseen reference images, read at the set's size.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Rng } from '../../main/engine/ml/rng';
import { QUALITY_DATASETS, preparedFolder } from './datasets';

export interface SmallFolderSplit {
  size: number;
  /** The training images' files, in the seeded order. */
  trainFiles: string[];
  /** The unseen reference images, RGB, size × size. */
  reference: Uint8Array[];
}

export async function readRgb(file: string, size: number): Promise<Uint8Array> {
  const { data } = await sharp(file).removeAlpha().resize(size, size, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

export async function smallFolderSplit(
  name: string,
  opts: { datasetsFolder: string; seed: number; trainCount: number; refCount: number; log: (line: string) => void; trainFolder?: string },
): Promise<SmallFolderSplit> {
  const dataset = QUALITY_DATASETS[name];
  if (!dataset) throw new Error(`unknown dataset ${name}`);
  const size = dataset.imageSize;
  const source = await preparedFolder(dataset, opts.datasetsFolder, opts.log);
  const sorted = readdirSync(source).filter((f) => f.endsWith('.png')).sort();
  const files = Array.from(new Rng(opts.seed).permutation(sorted.length), (i) => join(source, sorted[i]));
  if (files.length < opts.trainCount + opts.refCount) throw new Error(`${name} has ${files.length} images, fewer than ${opts.trainCount} + ${opts.refCount}`);
  const trainFiles = files.slice(0, opts.trainCount);
  if (opts.trainFolder) {
    rmSync(opts.trainFolder, { recursive: true, force: true });
    mkdirSync(opts.trainFolder, { recursive: true });
    for (const f of trainFiles) copyFileSync(f, join(opts.trainFolder, f.slice(source.length + 1)));
  }
  const reference = await Promise.all(files.slice(opts.trainCount, opts.trainCount + opts.refCount).map((f) => readRgb(f, size)));
  return { size, trainFiles, reference };
}
