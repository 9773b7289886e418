// The latent canvas: a 2-D map of the dataset (PCA of latent means), live decoding of any latent, prior
// samples, and where a dropped image lands.
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { dataUrlSchema, empty, idSchema, jobIdSchema, latentSchema, mediaRefSchema, seedSchema } from './common';

/**
 * Raw pixels for the fastest path from latent to canvas: base64 of width*height*channels bytes, RGB interleaved, or
 * straight (not premultiplied) RGBA when `channels` is 4 (a project that keeps transparency).
 */
export const rgbImageSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  channels: z.union([z.literal(3), z.literal(4)]).optional(),
  rgb: z.string(),
});
export type RgbImage = z.infer<typeof rgbImageSchema>;

export const mapSchema = z.object({
  checkpointId: idSchema,
  latentSize: z.number().int(),
  /** Mean of the dataset's latent means; a map point (x, y) decodes mean + x·components[0] + y·components[1]. */
  mean: z.array(z.number()),
  /** Top principal directions (unit vectors), most variance first; sliders move along them. */
  components: z.array(z.array(z.number())),
  /** Standard deviation of the dataset along each component, to scale sliders and the map. */
  scales: z.array(z.number()),
  points: z.array(z.object({ imageId: idSchema, x: z.number(), y: z.number(), thumb: mediaRefSchema, latent: z.array(z.number()) })),
});
export type LatentMap = z.infer<typeof mapSchema>;

export const neighbourSchema = z.object({ imageId: idSchema, distance: z.number(), thumb: mediaRefSchema });

export const exploreService = defineService({
  name: 'explore',
  methods: {
    /** Encodes the ready images with the active checkpoint (cached per checkpoint). */
    map: method(z.object({ jobId: jobIdSchema }).strict(), mapSchema),
    /** Decodes with the active checkpoint, and says which one that was. */
    decode: method(
      z.object({ latent: latentSchema }).strict(),
      rgbImageSchema.extend({ checkpointId: idSchema.optional(), checkpointStep: z.number().int().optional() }),
    ),
    sample: method(
      z
        .object({ count: z.number().int().min(1).max(64), temperature: z.number().min(0).max(3), seed: seedSchema })
        .strict(),
      z.object({ items: z.array(z.object({ latent: z.array(z.number()), image: dataUrlSchema })) }),
    ),
    /** Encodes an image of the user's (bytes as a data URL, any format sharp reads) or one of the dataset. */
    encode: method(
      z.union([z.object({ image: dataUrlSchema }).strict(), z.object({ imageId: idSchema }).strict()]),
      z.object({
        latent: z.array(z.number()),
        /** The input as the model sees it (cropped and resized) and its reconstruction. */
        input: dataUrlSchema,
        reconstruction: dataUrlSchema,
        neighbours: z.array(neighbourSchema),
      }),
    ),
  },
  events: {},
});
