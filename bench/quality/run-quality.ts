// npm run bench:quality — trains a VAE on each quality dataset for fixed wall-clock budgets with each named
// configuration, then prints held-out PSNR and bits/dim and, for samples from the fitted prior and from N(0, I),
// FID, KID and a classifier two-sample test against held-out real images on pretrained features. Sample sheets
// are written next to a sheet of real held-out images under bench/out/quality/<dataset>/, and the three side by side.
//   --datasets emoji,fashion-mnist,photo-crops   --minutes 5,20 (or --steps 500,2000)   --config old,new
//   --samples 500   --features mobilenet_v2|inception_v3   --seed 0   --backend auto   --out bench/out/quality
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BackendChoice } from '../../main/engine/ml/backends';
import { budgetLabel, parseBudgets } from './budget';
import { QUALITY_CONFIGS } from './configs';
import { QUALITY_DATASETS, preparedFolder } from './datasets';
import { measureCheckpoint } from './measure-samples';
import { realReference, type RealReference } from './real-reference';
import { FEATURE_NETS, type FeatureNetName } from './pretrained-features';
import { formatComparisons, formatTable, type ReportRow } from './report';
import { writeSideBySide } from './sheets';
import { trainForBudget } from './train-for-budget';

const { values: args } = parseArgs({
  options: {
    datasets: { type: 'string', default: Object.keys(QUALITY_DATASETS).join(',') },
    minutes: { type: 'string', default: '5,20' },
    steps: { type: 'string' },
    config: { type: 'string', default: 'old,new' },
    samples: { type: 'string', default: '500' },
    features: { type: 'string', default: 'mobilenet_v2' },
    seed: { type: 'string', default: '0' },
    backend: { type: 'string', default: 'auto' },
    out: { type: 'string', default: 'bench/out/quality' },
  },
});

const list = (s: string) => s.split(',').map((v) => v.trim()).filter(Boolean);
const pick = <T>(names: string[], table: Record<string, T>, what: string) =>
  names.map((n) => {
    if (!(n in table)) throw new Error(`unknown ${what} "${n}" (known: ${Object.keys(table).join(', ')})`);
    return [n, table[n]] as const;
  });

const datasets = pick(list(args.datasets), QUALITY_DATASETS, 'dataset');
const configs = pick(list(args.config), QUALITY_CONFIGS, 'config');
const budgets = parseBudgets(args.minutes, args.steps);
const samples = Number(args.samples);
const seed = Number(args.seed);
if (!(args.features in FEATURE_NETS)) throw new Error(`--features must be one of ${Object.keys(FEATURE_NETS).join(', ')}`);
const net = args.features as FeatureNetName;
const backend = args.backend as BackendChoice;
const out = resolve(args.out);
const log = (line: string) => console.log(line);

const rows: ReportRow[] = [];
const resultsFile = join(out, 'results.jsonl');
mkdirSync(out, { recursive: true });
const record = (row: ReportRow) => {
  rows.push(row);
  appendFileSync(resultsFile, JSON.stringify({ at: new Date().toISOString(), features: net, samples, seed, ...row }) + '\n');
};

for (const [name, dataset] of datasets) {
  const folder = await preparedFolder(dataset, join(out, 'datasets'), log);
  const sheets = join(out, name);
  let real: RealReference | null = null;
  for (const budget of budgets) {
    const label = budgetLabel(budget);
    for (const [configName, config] of configs) {
      log(`${name}: training "${configName}" for ${label} (${config.describe})`);
      const projectPath = join(out, 'projects', `${name}-${configName}-${label}.vaestudio`);
      const run = await trainForBudget({ projectPath, folder, imageSize: dataset.imageSize, config, budget, seed, backend, log });
      try {
        log(`  ${run.trainImages} training / ${run.valImages} held-out images; stopped at step ${run.result.step} (epoch ${run.result.epoch}), backend ${run.result.backend.name}`);
        if (!real) {
          real = await realReference(run.store, { sheetsFolder: sheets, floorImages: samples, seed, net });
          record({ dataset: name, budget: '', config: '—', source: 'train-images', steps: null, psnr: null, bitsPerDim: null, ...real.floor });
        }
        const measured = await measureCheckpoint(run.store, {
          real: real.heldOut,
          samples,
          seed,
          net,
          backend,
          sheetPath: (prior) => join(sheets, `${configName}-${label}-${prior}.png`),
        });
        const priorSheets = Object.values(measured.priors).map((m) => m.sheet);
        await writeSideBySide(join(sheets, `${configName}-${label}-real-fitted-standard.png`), [real.heldOutSheet, ...priorSheets]);
        for (const [requested, m] of Object.entries(measured.priors)) {
          const source = m.prior === requested ? requested : `${requested} (fell back to ${m.prior})`;
          record({ dataset: name, budget: label, config: configName, source, steps: measured.step, psnr: measured.psnr, bitsPerDim: measured.bitsPerDim, fid: m.fid, kid: m.kid, kidStd: m.kidStd, c2st: m.c2st });
        }
      } finally {
        run.store.close();
      }
    }
  }
}

log('');
log(`Held-out PSNR and bits/dim from the eval operation; FID, KID (×1e3, mean ± std over subsets) and the classifier`);
log(`two-sample accuracy (0.5 = indistinguishable) on ${net} features, ${samples} samples against the held-out images.`);
log(`"train-images" rows are real training images measured the same way: the floor for that set size.`);
log(formatTable(rows));
const comparisons = formatComparisons(rows);
if (comparisons.length > 0) log(['', 'Side by side:', ...comparisons].join('\n'));
log(`\nSheets: ${out}/<dataset>/<config>-<budget>-real-fitted-standard.png (real held-out | fitted prior | N(0, I));`);
log(`every row also in ${resultsFile}`);
