// Checkpoints of the open project: list, choose one for exploring, pin (kept when pruning), delete.
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { empty, idSchema, mediaRefSchema, ok } from './common';
import { lossesSchema } from './training';

export const checkpointSchema = z.object({
  id: idSchema,
  runId: idSchema,
  step: z.number().int(),
  epoch: z.number(),
  createdAt: z.string(),
  pinned: z.boolean(),
  /** Validation losses at that point, nats/image, when recorded. */
  losses: lossesSchema.nullable(),
  preview: mediaRefSchema.nullable(),
  /** The one the Explore, Interpolate and Gallery screens decode with. */
  active: z.boolean(),
});
export type CheckpointItem = z.infer<typeof checkpointSchema>;

export const checkpointsService = defineService({
  name: 'checkpoints',
  methods: {
    list: method(empty, z.object({ checkpoints: z.array(checkpointSchema) })),
    restore: method(z.object({ id: idSchema }).strict(), ok),
    pin: method(z.object({ id: idSchema, pinned: z.boolean() }).strict(), ok),
    remove: method(z.object({ id: idSchema }).strict(), ok),
  },
  events: {
    changed: z.object({}),
  },
});
