// Saved images with provenance (checkpoint, latent, seed, operation) so each can be regenerated exactly.
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { dataUrlSchema, empty, idSchema, latentSchema, mediaRefSchema, ok, seedSchema } from './common';

export const galleryOperationSchema = z.enum(['sample', 'map', 'slider', 'interpolate', 'encode']);

export const galleryItemSchema = z.object({
  id: idSchema,
  createdAt: z.string(),
  checkpointId: idSchema,
  /** The training step of that checkpoint, and when it was saved (null once it has been deleted). */
  checkpointStep: z.number().int(),
  checkpointSavedAt: z.string().nullable(),
  operation: galleryOperationSchema,
  latent: z.array(z.number()),
  seed: seedSchema.nullable(),
  temperature: z.number().nullable(),
  note: z.string(),
  image: mediaRefSchema,
});
export type GalleryItem = z.infer<typeof galleryItemSchema>;

export const galleryService = defineService({
  name: 'gallery',
  methods: {
    /** Decodes `latent` with the active checkpoint and stores image and provenance. */
    save: method(
      z
        .object({
          latent: latentSchema,
          operation: galleryOperationSchema,
          seed: seedSchema.optional(),
          temperature: z.number().min(0).max(3).optional(),
          note: z.string().max(500).default(''),
        })
        .strict(),
      galleryItemSchema,
    ),
    list: method(empty, z.object({ items: z.array(galleryItemSchema) })),
    /** Decodes the item again with its own checkpoint; `identical` says whether the pixels match the saved ones. */
    regenerate: method(z.object({ id: idSchema }).strict(), z.object({ image: dataUrlSchema, identical: z.boolean() })),
    remove: method(z.object({ id: idSchema }).strict(), ok),
  },
  events: {},
});
