// Import a folder and browse what came of it: thumbnails (paged, for a virtualised grid), failures with
// reasons, the size mix and duplicates.
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { empty, idSchema, jobIdSchema, mediaRefSchema, pathSchema } from './common';

export const importReportSchema = z.object({
  scanned: z.number().int(),
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  failed: z.number().int(),
  duplicates: z.number().int(),
  seconds: z.number(),
});

export const datasetItemSchema = z.object({
  id: idSchema,
  path: z.string(),
  status: z.enum(['ready', 'failed', 'duplicate']),
  /** Why a file failed, or which file it duplicates. */
  reason: z.string().nullable(),
  thumb: mediaRefSchema.nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
});
export type DatasetItem = z.infer<typeof datasetItemSchema>;

export const datasetService = defineService({
  name: 'dataset',
  methods: {
    /** Scans and prepares a folder (re-importing picks up added, changed and removed files). */
    import: method(z.object({ folder: pathSchema, jobId: jobIdSchema }).strict(), importReportSchema),
    summary: method(
      empty,
      z.object({
        counts: z.object({ total: z.number().int(), ready: z.number().int(), failed: z.number().int(), duplicate: z.number().int() }),
        /** Source resolutions grouped, largest groups first, e.g. {label: "1024×768", count: 12}. */
        sizes: z.array(z.object({ label: z.string(), count: z.number().int() })),
        failures: z.array(z.object({ path: z.string(), reason: z.string() })),
        duplicates: z.array(z.object({ path: z.string(), duplicateOf: z.string() })),
      }),
    ),
    page: method(
      z
        .object({
          offset: z.number().int().min(0),
          limit: z.number().int().min(1).max(500),
          status: z.enum(['ready', 'failed', 'duplicate']).optional(),
        })
        .strict(),
      z.object({ total: z.number().int(), items: z.array(datasetItemSchema) }),
    ),
  },
  events: {},
});
