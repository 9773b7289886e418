// Denoising: one photo at full resolution (before/after), whole folders (resumable), and a generator
// project's encode→decode at its own resolution.
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { dataUrlSchema, idSchema, jobIdSchema, mediaRefSchema, pathSchema } from './common';

export const conflictPolicySchema = z.enum(['rename', 'skip', 'overwrite']);

/** Highest noise σ (0..255) a user may set: past the strongest noise the denoiser was trained on (60). */
export const MAX_SIGMA = 100;
/**
 * The photos' noise σ on 0..255 when the user sets it; absent, each photo's noise is estimated from the photo. It
 * sets how much of the denoised image a photo gets (strength scales that).
 */
export const sigmaSchema = z.number().min(0, 'Noise σ is 0 or more').max(MAX_SIGMA, `Noise σ is at most ${MAX_SIGMA} (on 0..255)`);

/**
 * 'fast': the shipped fast network (or the project's fine-tuned one); 'best': the larger shipped network, or for a
 * project whose training beat the shipped weights, its own weights on eight orientations of each tile, averaged.
 */
export const denoiseQualitySchema = z.enum(['fast', 'best']);
export type DenoiseQualityChoice = z.infer<typeof denoiseQualitySchema>;

/** A photo's noise and how much of the denoised image it got. */
export const noiseLevelSchema = z.object({
  /** σ estimated from the photo, one decimal; null for a photo under 16 px a side (too small to tell). */
  estimatedSigma: z.number().nullable(),
  /** σ the denoising was set for: the estimate or the user's; null when neither (strength alone decides). */
  sigma: z.number().nullable(),
  sigmaFrom: z.enum(['estimate', 'user']),
  /** Share of the denoised image in the output: strength × the share that suits σ. */
  blend: z.number(),
});
export type NoiseLevel = z.infer<typeof noiseLevelSchema>;

export const batchReportSchema = z.object({
  batchId: idSchema,
  input: z.string(),
  output: z.string(),
  done: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  /** True when this call continued a batch that had been interrupted. */
  resumed: z.boolean(),
  /** Outputs written by this call. */
  written: z.number().int(),
  /**
   * Set when this folder had already been denoised into this output and there was nothing new to do: a free
   * folder beside it where the batch can run again (e.g. at another strength).
   */
  alreadyDone: z.object({ runAgainInto: z.string() }).nullable(),
  items: z.array(
    z.object({
      file: z.string(),
      status: z.string(),
      output: z.string().nullable(),
      reason: z.string().nullable(),
      /** Noise σ (0..255) estimated from the photo and the one its denoising was set for; null until denoised. */
      estimatedSigma: z.number().nullable(),
      sigma: z.number().nullable(),
    }),
  ),
});
export type BatchReport = z.infer<typeof batchReportSchema>;

export const denoiseService = defineService({
  name: 'denoise',
  methods: {
    /** Denoises one photo at full resolution. `output` defaults to a file beside the exports. */
    image: method(
      z
        .object({ input: pathSchema, output: pathSchema.optional(), strength: z.number().min(0).max(1).default(1), sigma: sigmaSchema.optional(), quality: denoiseQualitySchema.default('fast'), jobId: jobIdSchema })
        .strict(),
      z.object({
        before: mediaRefSchema,
        after: mediaRefSchema,
        output: z.string(),
        width: z.number().int(),
        height: z.number().int(),
        seconds: z.number(),
        noise: noiseLevelSchema.nullable(),
      }),
    ),
    batch: method(
      z
        .object({
          input: pathSchema,
          output: pathSchema,
          onConflict: conflictPolicySchema.default('rename'),
          /** 0 keeps the original, 1 is fully denoised: the same meaning as for one photo. */
          strength: z.number().min(0).max(1).default(1),
          /** One σ for every photo of the folder; absent, each photo's own estimate. */
          sigma: sigmaSchema.optional(),
          quality: denoiseQualitySchema.default('fast'),
          jobId: jobIdSchema,
        })
        .strict(),
      batchReportSchema,
    ),
    saveReport: method(z.object({ batchId: idSchema, path: pathSchema.optional() }).strict(), z.object({ path: z.string(), media: mediaRefSchema.nullable() })),
    /** Generator projects: the image through encode → decode at the model's resolution. */
    viaGenerator: method(
      z.union([z.object({ image: dataUrlSchema }).strict(), z.object({ imageId: idSchema }).strict()]),
      z.object({ before: dataUrlSchema, after: dataUrlSchema }),
    ),
  },
  events: {},
});
