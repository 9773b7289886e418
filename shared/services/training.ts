// Train with live charts and previews: start, pause, resume, stop. Training runs in the background; its
// progress arrives as events (and as jobs.progress with kind "train").
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { NETWORKS, timePresetSchema, trainingSettingsSchema } from '../training-config';
import { empty, idSchema, mediaRefSchema, ok } from './common';

export const backendSchema = z.object({
  /** What runs: "tensorflow-gpu", "tensorflow", "wasm" or "cpu". */
  name: z.string(),
  /** One line: why this backend and not a faster one. */
  reason: z.string(),
});

/** The Train form: the settings a person chooses, with the same limits as the CLI's flags. */
export const trainOptionsSchema = trainingSettingsSchema
  .pick({ epochs: true, batch: true, lr: true, beta: true, seed: true })
  .extend({
    /** Start a new run instead of resuming the latest one. */
    newRun: z.boolean().default(false),
    /** How long this session trains: quick (5 min) and good (20 min) budgets, or best (the epochs above). */
    time: timePresetSchema.default('best'),
    /** A generator's layers (a run keeps its own: another one starts a new run); absent for a denoiser. */
    network: z.enum(NETWORKS).optional(),
    /**
     * Start the new run from random weights instead of the shipped starting point (implies a new run); present
     * only where a new run of the form's network at the project's shape would start from one.
     */
    fromScratch: z.boolean().optional(),
  })
  .strict();
export type TrainFormOptions = z.infer<typeof trainOptionsSchema>;

/** How far one choice goes on this machine: steps and seconds (null where the speed is not known yet). */
export const presetEstimateSchema = z.object({
  steps: z.number().int().nullable(),
  seconds: z.number().nullable(),
  /** The run's last step comes before the budget ends (best always trains to it). */
  endsRun: z.boolean(),
});
export type PresetEstimate = z.infer<typeof presetEstimateSchema>;

export const trainingEstimateSchema = z.object({
  /** Training examples a second on this machine, and where that was measured; null when it could not be. */
  examplesPerSecond: z.number().nullable(),
  speedFrom: z.enum(['running', 'project', 'machine', 'measured']).nullable(),
  /** One pass goes over `examples` examples cut from `images` images (a denoiser keeps several crops per photo). */
  images: z.number().int(),
  examples: z.number().int(),
  /** Examples per step (the batch, at most the dataset). */
  batch: z.number().int(),
  presets: z.object({ quick: presetEstimateSchema, good: presetEstimateSchema, best: presetEstimateSchema }),
});
export type TrainingEstimate = z.infer<typeof trainingEstimateSchema>;

export const lossesSchema = z.object({ recon: z.number(), kl: z.number(), total: z.number() });

export const metricSchema = z.object({
  runId: idSchema,
  step: z.number().int(),
  epoch: z.number(),
  split: z.enum(['train', 'validation']),
  /** nats per image */
  recon: z.number(),
  kl: z.number(),
  total: z.number(),
});
export type Metric = z.infer<typeof metricSchema>;

export const trainingStateSchema = z.object({
  status: z.enum(['idle', 'starting', 'running', 'paused', 'stopping']),
  runId: idSchema.nullable(),
  epoch: z.number().int(),
  epochs: z.number().int(),
  step: z.number().int(),
  totalSteps: z.number().int(),
  /** Seconds left, from this session's own steps; null while still estimating (or not running). */
  etaSeconds: z.number().nullable(),
  backend: backendSchema.nullable(),
  /** Set after a run ends badly, e.g. "The disk is full: ...". */
  lastError: z.string().nullable(),
  /** Training speed of this session, images per second; null before the first steps. */
  imagesPerSecond: z.number().nullable().default(null),
  /** The step of the checkpoint saved when the run was last paused or stopped ("Saved at step 848"). */
  savedStep: z.number().int().nullable(),
  /** The running session's time budget in seconds (quick, good); null for best. */
  budgetSeconds: z.number().nullable().default(null),
  /** Why the last session ended: its epochs, its time budget, or a pause or stop; null before one ends. */
  stopped: z.enum(['completed', 'max-steps', 'time', 'interrupted']).nullable().default(null),
  /**
   * A denoiser's held-out quality: the best checkpoint's PSNR on held-out crops, the shipped weights' on the same
   * crops, and whether denoising still uses the shipped weights (no checkpoint beat them yet). Null otherwise.
   */
  denoising: z
    .object({ psnr: z.number(), shipped: z.number().nullable(), usesShipped: z.boolean() })
    .nullable()
    .default(null),
  /** What this session said as it set out, e.g. that it starts from the shipped model; empty before one starts. */
  notes: z.array(z.string()).default([]),
});
export type TrainingState = z.infer<typeof trainingStateSchema>;

/** Nothing training, nothing paused: the state before the first run and after one ends. */
export const IDLE_TRAINING_STATE: TrainingState = Object.freeze({
  status: 'idle',
  runId: null,
  epoch: 0,
  epochs: 0,
  step: 0,
  totalSteps: 0,
  etaSeconds: null,
  backend: null,
  lastError: null,
  imagesPerSecond: null,
  savedStep: null,
  budgetSeconds: null,
  stopped: null,
  denoising: null,
  notes: [],
});

export const previewSchema = z.object({
  runId: idSchema,
  epoch: z.number().int(),
  kind: z.enum(['reconstructions', 'samples']),
  image: mediaRefSchema,
});

export const trainingService = defineService({
  name: 'training',
  methods: {
    /** Defaults chosen from the dataset (fewer images → more epochs, batch no larger than the dataset). */
    defaults: method(empty, trainOptionsSchema),
    start: method(trainOptionsSchema, z.object({ runId: idSchema })),
    pause: method(empty, ok),
    resume: method(empty, ok),
    /** Saves a checkpoint and stops; the run can be resumed later. */
    stop: method(empty, ok),
    state: method(empty, trainingStateSchema),
    /** Everything recorded for a run (the latest when omitted), to draw charts after a reload. */
    history: method(
      z.object({ runId: idSchema.optional() }).strict(),
      z.object({ metrics: z.array(metricSchema), previews: z.array(previewSchema) }),
    ),
    backend: method(empty, backendSchema),
    /**
     * How far each choice (quick, good, best with these epochs) goes on this machine: from the running session's
     * speed, this project's recorded steps, the speed this machine last trained a project of this kind and size
     * at, or else a few steps timed now.
     */
    estimate: method(
      trainingSettingsSchema.pick({ epochs: true, batch: true }).extend({ newRun: z.boolean().default(false) }).strict(),
      trainingEstimateSchema,
    ),
  },
  events: {
    state: trainingStateSchema,
    metric: metricSchema,
    preview: previewSchema,
  },
});
