// Train with live charts and previews: start, pause, resume, stop. Training runs in the background; its
// progress arrives as events (and as jobs.progress with kind "train").
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { trainingSettingsSchema } from '../training-config';
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
  })
  .strict();
export type TrainFormOptions = z.infer<typeof trainOptionsSchema>;

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
  /**
   * A denoiser's held-out quality: the best checkpoint's PSNR on held-out crops, the shipped weights' on the same
   * crops, and whether denoising still uses the shipped weights (no checkpoint beat them yet). Null otherwise.
   */
  denoising: z
    .object({ psnr: z.number(), shipped: z.number().nullable(), usesShipped: z.boolean() })
    .nullable()
    .default(null),
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
  denoising: null,
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
     * How long training with these settings would take on this machine, from the speed it last trained a
     * project of this kind and size at; null when it never has (the time left shows once training runs).
     */
    estimate: method(
      z.object({ epochs: z.number().int().min(1).max(100_000), batch: z.number().int().min(1).max(1024), newRun: z.boolean().default(false) }).strict(),
      z.object({ seconds: z.number().nullable(), steps: z.number().int(), imagesPerSecond: z.number().nullable() }),
    ),
  },
  events: {
    state: trainingStateSchema,
    metric: metricSchema,
    preview: previewSchema,
  },
});
