// Files the user keeps: PNG, contact sheet, GIF and PNG strip of an interpolation, the decoder as a TF.js
// layers model. `path` defaults to a unique name in the host's exports folder; every export can also be
// downloaded through its media reference.
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { jobIdSchema, latentSchema, mediaRefSchema, pathSchema } from './common';

export const interpolationModeSchema = z.enum(['linear', 'slerp']);

export const exportedSchema = z.object({ path: z.string(), media: mediaRefSchema.nullable(), frames: z.number().int().optional() });
export type Exported = z.infer<typeof exportedSchema>;

const latents = z.array(latentSchema).min(1).max(1000);

/** How decoded images are enlarged: "nearest" keeps hard pixel edges (pixel art), "smooth" resamples (Lanczos). */
export const resamplingSchema = z.enum(['nearest', 'smooth']);
export type Resampling = z.infer<typeof resamplingSchema>;

/**
 * Enlargement per export: a whole factor (1 keeps the model's size) and how. Sheets, strips and animations
 * without a scale are enlarged so each image is about 256 px.
 */
const look = { scale: z.number().int().min(1).max(16).optional(), resampling: resamplingSchema.default('nearest') };

export const exportsService = defineService({
  name: 'exports',
  methods: {
    png: method(
      z.object({ latent: latentSchema, path: pathSchema.optional(), ...look, scale: z.number().int().min(1).max(16).default(1) }).strict(),
      exportedSchema,
    ),
    sheet: method(z.object({ latents, columns: z.number().int().min(1).max(64).optional(), path: pathSchema.optional(), ...look }).strict(), exportedSchema),
    /** Frames are the given latents in order (the renderer computes the path with shared/latent.ts). */
    gif: method(
      z.object({ latents, fps: z.number().min(1).max(60).default(12), path: pathSchema.optional(), jobId: jobIdSchema.optional(), ...look }).strict(),
      exportedSchema,
    ),
    strip: method(z.object({ latents, path: pathSchema.optional(), ...look }).strict(), exportedSchema),
    /** The decoder of the active checkpoint as a TF.js layers model (model.json + weights). */
    decoderModel: method(z.object({ folder: pathSchema.optional() }).strict(), exportedSchema),
  },
  events: {},
});
