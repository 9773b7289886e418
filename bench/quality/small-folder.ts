// Does a small folder learn better from the shipped starting point (resources/generator) than from random weights?
// For each dataset: a folder of a few hundred of its images is imported into a fresh 64×64 project and trained
// for the same budget twice — `train --from-scratch` and the default start — then both are judged on reference
// images of the same kind that neither saw: PSNR of their reconstructions (posterior mean), and FID, KID and a
// classifier two-sample test of 300 samples from the fitted prior against them (the bench:quality measures).
// Sheets (reference | reconstructions, and samples) go to bench/out/quality/small-folder/<dataset>/.
//   npx tsx bench/quality/small-folder.ts [--datasets emoji,photo-crops] [--images 200] [--reference 500]
//     [--minutes 5 | --steps N] [--samples 300] [--seed 0] [--backend auto] [--starts scratch,shipped,shipped-lr3e-4,spatial]
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type BackendChoice, initBackend } from '../../main/engine/ml/backends';
import { gatherBatch, splitImages } from '../../main/engine/ml/batches';
import { loadModel } from '../../main/engine/operations/model-io';
import { parseBudgets, budgetLabel } from './budget';
import { QUALITY_CONFIGS } from './configs';
import { featureMatrix } from './feature-matrix';
import { realFeatures, setDistances } from './measure-samples';
import { meanDistanceToNearest } from './novelty';
import { loadFeatureNet } from './pretrained-features';
import { writeSheet } from './sheets';
import { smallFolderSplit } from './small-folder-split';
import { trainForBudget } from './train-for-budget';

const { values: args } = parseArgs({
  options: {
    datasets: { type: 'string', default: 'emoji,photo-crops' },
    images: { type: 'string', default: '200' },
    reference: { type: 'string', default: '500' },
    minutes: { type: 'string', default: '5' },
    steps: { type: 'string' },
    samples: { type: 'string', default: '300' },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'auto' },
    starts: { type: 'string', default: 'scratch,shipped' },
    out: { type: 'string', default: 'bench/out/quality' },
  },
});
const seed = Number(args.seed);
const trainCount = Number(args.images);
const refCount = Number(args.reference);
const sampleCount = Number(args.samples);
const backend = args.backend as BackendChoice;
const out = resolve(args.out);
const budgets = parseBudgets(args.minutes, args.steps);
const log = (line: string) => console.log(line);
/** How each run starts: random weights, or the shipped starting point (with a smaller learning rate too, to see). */
const STARTS: Record<string, { fromScratch?: boolean; lr?: number; config?: keyof typeof QUALITY_CONFIGS }> = {
  scratch: { fromScratch: true },
  shipped: {},
  'shipped-lr3e-4': { lr: 3e-4 },
  spatial: { config: 'spatial' },
};
const starts = args.starts!.split(',').map((name) => {
  if (!(name in STARTS)) throw new Error(`--starts: unknown "${name}" (known: ${Object.keys(STARTS).join(', ')})`);
  return [name, STARTS[name]] as const;
});

function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (a[i] - b[i]) ** 2;
  return 10 * Math.log10((255 * 255 * a.length) / Math.max(se, 1e-9));
}

const rows: string[] = [];
for (const name of args.datasets!.split(',')) {
  const work = join(out, 'small-folder', name);
  const folder = join(work, 'train');
  const { size, reference } = await smallFolderSplit(name, { datasetsFolder: join(out, 'datasets'), seed, trainCount, refCount, log, trainFolder: folder });
  const referenceFeatures = await realFeatures(reference, size, 'mobilenet_v2');
  const packed = new Uint8Array(reference.length * size * size * 3);
  reference.forEach((img, i) => packed.set(img, i * img.length));

  for (const budget of budgets) {
    for (const [start, options] of starts) {
      const label = `${start}-${budgetLabel(budget)}`;
      log(`${name}: ${trainCount} images, ${label}`);
      const { config: base = 'new', ...trainOptions } = options;
      const config = { ...QUALITY_CONFIGS[base], train: { ...QUALITY_CONFIGS[base].train, ...trainOptions } };
      const run = await trainForBudget({ projectPath: join(work, `${label}.vaestudio`), folder, imageSize: size, config, budget, seed, backend, log });
      try {
        await initBackend(backend);
        const { model } = loadModel(run.store);
        let recon: Uint8Array[] = [];
        let samples: Uint8Array[] = [];
        try {
          for (let at = 0; at < reference.length; at += 50) {
            const idx = Array.from({ length: Math.min(50, reference.length - at) }, (_, i) => at + i);
            recon.push(...splitImages(model.decode(model.encode(gatherBatch(packed, size, idx)).mu), size));
          }
          for (let at = 0; at < sampleCount; at += 50) {
            const { z } = model.samplePrior(Math.min(50, sampleCount - at), seed + at, 1, 'fitted');
            samples.push(...splitImages(model.decode(z), size));
          }
        } finally {
          model.dispose();
        }
        recon = recon.map((r) => Uint8Array.from(r));
        samples = samples.map((s) => Uint8Array.from(s));
        const meanPsnr = reference.reduce((s, img, i) => s + psnr(img, recon[i]), 0) / reference.length;
        await initBackend('wasm');
        const net = await loadFeatureNet('mobilenet_v2');
        const distances = setDistances(referenceFeatures, featureMatrix(await net.features(samples, size)), seed);
        net.dispose();
        await writeSheet(join(work, `${label}-reconstructions.png`), interleaveRows(reference.slice(0, 32), recon.slice(0, 32)), size);
        await writeSheet(join(work, `${label}-samples.png`), samples.slice(0, 64), size);
        const row = `${name.padEnd(12)} ${start.padEnd(15)} ${budgetLabel(budget).padEnd(8)} ${String(run.result.step).padStart(6)}  ${meanPsnr.toFixed(2).padStart(6)}  ${distances.fid.toFixed(1).padStart(6)}  ${(distances.kid * 1e3).toFixed(1).padStart(6)} ± ${(distances.kidStd * 1e3).toFixed(1).padEnd(5)} ${distances.c2st.toFixed(3)}  ${meanDistanceToNearest(samples, run.store.images.loadPixels('train')).toFixed(1).padStart(5)}`;
        log(row);
        rows.push(row);
      } finally {
        run.store.close();
      }
    }
  }
}

/** Rows of 8 references, each followed by the row of their reconstructions. */
function interleaveRows(a: Uint8Array[], b: Uint8Array[]): Uint8Array[] {
  const outRows: Uint8Array[] = [];
  for (let i = 0; i < a.length; i += 8) outRows.push(...a.slice(i, i + 8), ...b.slice(i, i + 8));
  return outRows;
}

log(`\n${trainCount} training images; PSNR of ${refCount} reference images not trained on; FID, KID×10³ and C2ST of ${sampleCount} fitted-prior samples against them (MobileNetV2 features)`);
log(`dataset      start           budget    steps    PSNR     FID     KID×10³       C2ST   to nearest training image`);
for (const r of rows) log(r);
