// A training run's configuration: its defaults and how a run resumes (the options, their limits and the resume
// rule are shared/training-config.ts's).
// Hyperparameters that shape the optimisation are fixed for a run; asking for different ones is refused.
import { changedFixedSetting, type TrainingOptions } from '../../../shared/training-config';
import type { RunConfig } from '../store';
import { flagName, InvalidOptionError } from './options';

/** What a run is created with and stored as (the store checks it on the way in and out). */
export type RunSettings = RunConfig;

export const DEFAULTS = { epochs: 30, batch: 32, lr: 1e-3, beta: 1, seed: 0, checkpointEvery: 200 } as const;

/** KL warm-up defaults to two epochs, but at most 2,000 steps. */
export function defaultWarmup(stepsPerEpoch: number): number {
  return Math.min(2000, 2 * stepsPerEpoch);
}

export function newRunSettings(
  opts: TrainingOptions,
  model: Pick<RunSettings, 'imageSize' | 'latentSize' | 'network' | 'imageChannels'>,
  stepsPerEpoch: number,
): RunSettings {
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

/**
 * The settings to resume `saved` with. Epochs may grow (train longer) and the checkpoint interval may change;
 * a fixed setting asked differently is refused with a message naming it (shared/training-config.ts's rule).
 */
export function resumeSettings(saved: RunSettings, opts: TrainingOptions, runId: number): RunSettings {
  if (opts.network !== undefined && opts.network !== (saved.network ?? 'classic')) {
    throw new InvalidOptionError(
      `Run ${runId} trains the ${saved.network ?? 'classic'} network, not ${opts.network}. Resume without --network, or pass --new-run to start a new run`,
    );
  }
  const changed = changedFixedSetting(saved, opts);
  if (changed) {
    throw new InvalidOptionError(
      `Run ${runId} trains with ${flagName(changed.key)} ${changed.saved}, not ${changed.asked}. Resume without it, or pass --new-run to start a new run`,
    );
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
export const STREAM = { epochOrder: 1, step: 2, validation: 3, previews: 4, prior: 5 } as const;
