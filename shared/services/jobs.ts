// Long work: progress with ETA, cancellation. Long calls take a client-chosen jobId and resolve when done.
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { empty, jobIdSchema, ok } from './common';

export const JOB_KINDS = ['import', 'train', 'map', 'export', 'denoise', 'batch-denoise'] as const;

export const jobSchema = z.object({
  jobId: jobIdSchema,
  kind: z.enum(JOB_KINDS),
  fraction: z.number().min(0).max(1).nullable(),
  etaSeconds: z.number().min(0).nullable(),
  message: z.string(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobsService = defineService({
  name: 'jobs',
  methods: {
    list: method(empty, z.object({ jobs: z.array(jobSchema) })),
    cancel: method(z.object({ jobId: jobIdSchema }).strict(), ok),
  },
  events: {
    progress: jobSchema,
    finished: z.object({
      jobId: jobIdSchema,
      kind: z.enum(JOB_KINDS),
      status: z.enum(['done', 'failed', 'cancelled']),
      message: z.string(),
    }),
  },
});
