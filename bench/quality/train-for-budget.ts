// One benchmark training run: a fresh project for the dataset, its folder imported, then training with the
// configuration until the budget is spent — the wall clock runs out (the engine's own time budget, as
// `train --minutes` and the app's quick and good use: checkpoint saved, prior fitted) or the step count is reached.
// Import time is not part of the budget.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { importFolder } from '../../main/engine/operations/import-folder';
import { train, type TrainResult } from '../../main/engine/operations/train';
import type { BackendChoice } from '../../main/engine/ml/backends';
import { openProject, type ProjectStore } from '../../main/engine/store';
import { OPEN_ENDED_EPOCHS } from '../../shared/training-config';
import type { TrainingBudget } from './budget';
import type { QualityConfig } from './configs';

const BENCH_APP_VERSION = 'bench-quality';

export interface BudgetRun {
  store: ProjectStore;
  result: TrainResult;
  trainImages: number;
  valImages: number;
}

export async function trainForBudget(opts: {
  projectPath: string;
  folder: string;
  imageSize: number;
  config: QualityConfig;
  budget: TrainingBudget;
  seed: number;
  backend: BackendChoice;
  log: (line: string) => void;
}): Promise<BudgetRun> {
  for (const suffix of ['', '-wal', '-shm']) rmSync(opts.projectPath + suffix, { force: true });
  mkdirSync(dirname(opts.projectPath), { recursive: true });
  const store = openProject(opts.projectPath, {
    create: { kind: 'generate', imageSize: opts.imageSize, latentSize: opts.config.latentSize, appVersion: BENCH_APP_VERSION },
  });
  try {
    const report = await importFolder(store, opts.folder);
    if (report.failed.length > 0) opts.log(`  ${report.failed.length} files failed to import, first: ${report.failed[0].reason}`);
    const trainImages = store.images.loadPixels('train').count;
    const valImages = store.images.loadPixels('val').count;
    const { budget } = opts;
    const minutes = budget.kind === 'minutes' ? budget.minutes : undefined;
    const maxSteps = budget.kind === 'steps' ? budget.steps : undefined;
    const result = await train(
      store,
      { ...opts.config.train, epochs: OPEN_ENDED_EPOCHS, maxSteps, minutes, newRun: true, seed: opts.seed, backend: opts.backend },
      { onNotice: (line) => opts.log(`  notice: ${line}`) },
    );
    return { store, result, trainImages, valImages };
  } catch (error) {
    store.close();
    throw error;
  }
}
