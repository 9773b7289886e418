// One training configuration for every caller: the CLI's flags, the app's form (shared/services/training.ts
// picks its fields from here) and the run the store keeps. Limits are written once, so the two front ends can
// never accept different values for the same setting.
import { z } from 'zod';

/** A generator's layers (main/engine/ml/architecture.ts): `classic` for runs made before there was a choice. */
export const NETWORKS = ['classic', 'residual', 'spatial'] as const;
export type Network = (typeof NETWORKS)[number];
/**
 * How long a person gives one training session: quick and good are time budgets, best trains until it is stopped
 * or the run's epochs end (what training did before there were budgets).
 */
export const TIME_PRESETS = ['quick', 'good', 'best'] as const;
export const timePresetSchema = z.enum(TIME_PRESETS);
export type TimePreset = z.infer<typeof timePresetSchema>;
/** Minutes each preset buys; best has no budget. */
export const PRESET_MINUTES: Record<TimePreset, number | null> = { quick: 5, good: 20, best: null };
/** A week: a longer budget is more likely a typo than a plan. */
export const MAX_BUDGET_MINUTES = 7 * 24 * 60;
/**
 * A new run whose length is set by time rather than epochs gets this many: more than any budget reaches, so the
 * clock (or the person) ends each session and the run stays open to the next one.
 */
export const OPEN_ENDED_EPOCHS = 100_000;

/** Settings a run is created with; all of them but `epochs` and `checkpointEvery` are fixed for its life. */
export const trainingSettingsSchema = z.object({
  epochs: z.number().int().min(1).max(OPEN_ENDED_EPOCHS),
  batch: z.number().int().min(1).max(4096),
  lr: z.number().positive().max(1),
  beta: z.number().min(0).max(1000),
  /** KL warm-up, in steps. */
  warmupSteps: z.number().int().min(0),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  checkpointEvery: z.number().int().min(1),
});
export type TrainingSettings = z.infer<typeof trainingSettingsSchema>;

/** What a caller may ask of one training session: any setting, plus how far to go now and how. */
export const trainingOptionsSchema = trainingSettingsSchema
  .extend({
    /** Stop after this many steps in all (the run stays resumable). */
    maxSteps: z.number().int().min(1),
    /** Start a new run instead of resuming the latest one. */
    newRun: z.boolean(),
    /** Threads that compute gradients (WebAssembly and JS backends); default: one per core. */
    threads: z.number().int().min(1).max(64),
    /** A new run starts from random weights instead of the shipped starting point for its shape (if any). */
    fromScratch: z.boolean(),
    /** A new generator run's layers (default: the current design); a run keeps its own for life. */
    network: z.enum(NETWORKS),
    /** A preset time budget for this session (quick, good) or none (best: until stopped or the run's epochs end). */
    time: timePresetSchema,
    /** A time budget for this session in minutes; a resumed session gets a fresh one. */
    minutes: z.number().positive().max(MAX_BUDGET_MINUTES),
  })
  .partial();
export type TrainingOptions = z.infer<typeof trainingOptionsSchema>;

/** Settings a run keeps for its whole life: resuming with another value is refused. */
export const FIXED_SETTINGS = ['batch', 'lr', 'beta', 'warmupSteps', 'seed'] as const;
export type FixedSetting = (typeof FIXED_SETTINGS)[number];

/**
 * The resume rule: the first fixed setting `asked` gives a value for that differs from the run's, or null when
 * the run may continue with what was asked. Settings not asked for keep the run's values.
 */
export function changedFixedSetting(
  saved: Pick<TrainingSettings, FixedSetting>,
  asked: Partial<Pick<TrainingSettings, FixedSetting>>,
): { key: FixedSetting; saved: number; asked: number } | null {
  for (const key of FIXED_SETTINGS) {
    const value = asked[key];
    if (value !== undefined && value !== saved[key]) return { key, saved: saved[key], asked: value };
  }
  return null;
}

/**
 * Why --time and --minutes cannot be taken together (null when they can): they are two ways to say the same thing,
 * and quietly preferring one would train for a time nobody asked for.
 */
export function budgetConflict(opts: Pick<TrainingOptions, 'time' | 'minutes'>): string | null {
  if (opts.time === undefined || opts.minutes === undefined) return null;
  return `--time ${opts.time} and --minutes ${opts.minutes} both say how long to train; give one of them`;
}

/** The session's time budget in seconds from --time or --minutes; null when there is none (best, or neither). */
export function budgetSeconds(opts: Pick<TrainingOptions, 'time' | 'minutes'>): number | null {
  const minutes = opts.minutes ?? (opts.time ? PRESET_MINUTES[opts.time] : null);
  return minutes === null ? null : minutes * 60;
}
