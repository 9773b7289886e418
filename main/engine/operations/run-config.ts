// A training run's configuration: defaults, validation, and the rule for resuming. Hyperparameters that shape
// the optimisation are fixed for a run; asking for different ones is refused rather than silently mixed.
import { z } from 'zod';
import { flagName, InvalidOptionError } from './options';

export const trainOptionsSchema = z.object({
  epochs: z.number().int().min(1).max(100_000).optional(),
  maxSteps: z.number().int().min(1).optional(),
  batch: z.number().int().min(1).max(4096).optional(),
  lr: z.number().positive().max(1).optional(),
  beta: z.number().min(0).max(1000).optional(),
  warmupSteps: z.number().int().min(0).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  checkpointEvery: z.number().int().min(1).optional(),
  newRun: z.boolean().optional(),
  /** Threads that compute gradients (WebAssembly and JS backends); default: one per core. */
  threads: z.number().int().min(1).max(64).optional(),
});
export type TrainOptions = z.infer<typeof trainOptionsSchema>;

/** What a run is created with and stored as. */
export interface RunSettings {
  epochs: number;
  batch: number;
  lr: number;
  beta: number;
  warmupSteps: number;
  seed: number;
  checkpointEvery: number;
  imageSize: number;
  latentSize: number;
}

export const DEFAULTS = { epochs: 30, batch: 32, lr: 1e-3, beta: 1, seed: 0, checkpointEvery: 200 } as const;

/** KL warm-up defaults to two epochs, but at most 2,000 steps. */
export function defaultWarmup(stepsPerEpoch: number): number {
  return Math.min(2000, 2 * stepsPerEpoch);
}

export function newRunSettings(opts: TrainOptions, model: { imageSize: number; latentSize: number }, stepsPerEpoch: number): RunSettings {
  return {
    epochs: opts.epochs ?? DEFAULTS.epochs,
    batch: opts.batch ?? DEFAULTS.batch,
    lr: opts.lr ?? DEFAULTS.lr,
    beta: opts.beta ?? DEFAULTS.beta,
    warmupSteps: opts.warmupSteps ?? defaultWarmup(stepsPerEpoch),
    seed: opts.seed ?? DEFAULTS.seed,
    checkpointEvery: opts.checkpointEvery ?? DEFAULTS.checkpointEvery,
    ...model,
  };
}

const FIXED: (keyof TrainOptions & keyof RunSettings)[] = ['batch', 'lr', 'beta', 'warmupSteps', 'seed'];

/**
 * The settings to resume `saved` with. Epochs may grow (train longer) and the checkpoint interval may change;
 * anything else that differs is refused with a message naming it.
 */
export function resumeSettings(saved: RunSettings, opts: TrainOptions, runId: number): RunSettings {
  for (const key of FIXED) {
    const asked = opts[key];
    if (asked !== undefined && asked !== saved[key]) {
      throw new InvalidOptionError(
        `Run ${runId} trains with ${flagName(key)} ${saved[key]}, not ${asked}. Resume without it, or pass --new-run to start a new run`,
      );
    }
  }
  return { ...saved, epochs: opts.epochs ?? saved.epochs, checkpointEvery: opts.checkpointEvery ?? saved.checkpointEvery };
}

/** Deterministic per-step and per-epoch random streams, so a resumed run replays exactly what it would have. */
export function streamSeed(seed: number, stream: number, index: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77) >>> 0;
  h = (h + Math.imul(index + 1, 0xc2b2ae3d)) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}
export const STREAM = { epochOrder: 1, step: 2, validation: 3, previews: 4 } as const;
