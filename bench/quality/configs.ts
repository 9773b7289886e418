// The training configurations the benchmark compares, by name. `old` is the product as it was when the benchmark
// was written and must stay that way (it is the baseline every later number is compared against); `new` is where
// a change under test goes — today it is the same defaults, so the two rows differ only by noise. To try another
// idea, add an entry here and pass `--config old,<name>`.
import { projectDefaults } from '../../main/engine/operations/project-defaults';
import type { TrainingOptions } from '../../shared/training-config';

export interface QualityConfig {
  describe: string;
  /** The latent size of a new project (its image size comes from the dataset). */
  latentSize: number;
  /** Training settings passed to train(); the wall-clock budget and the seed are the benchmark's. */
  train: Omit<TrainingOptions, 'epochs' | 'maxSteps' | 'newRun' | 'seed'>;
}

/**
 * The product when the benchmark was written: the classic network from random weights (new 64×64 projects have
 * since started from the shipped model; `fromScratch` keeps the baseline where it was), latent 128, batch 32,
 * lr 1e-3, β 1. Its N(0, I) row is that product's sampler; its fitted-prior row uses today's mixture rule.
 */
const BASELINE: QualityConfig = {
  describe: 'first defaults (classic network from random weights, latent 128, batch 32, lr 1e-3, beta 1)',
  latentSize: 128,
  train: { network: 'classic', fromScratch: true },
};

const PRODUCT_DEFAULTS: QualityConfig = {
  describe: 'product defaults',
  latentSize: projectDefaults('generate').latentSize,
  train: {},
};

export const QUALITY_CONFIGS: Record<string, QualityConfig> = {
  old: BASELINE,
  new: PRODUCT_DEFAULTS,
  beta025: { ...BASELINE, describe: 'classic, KL weight 0.25', train: { ...BASELINE.train, beta: 0.25 } },
  beta01: { ...BASELINE, describe: 'classic, KL weight 0.1', train: { ...BASELINE.train, beta: 0.1 } },
  lr2e3: { ...BASELINE, describe: 'classic, learning rate 2e-3', train: { ...BASELINE.train, lr: 2e-3 } },
  residual: { ...BASELINE, describe: 'residual network, β 1', train: { network: 'residual' } },
  spatial: { describe: 'spatial network (8×8 latent grid of 8 channels), from random weights', latentSize: 512, train: { network: 'spatial' } },
};
