// Open, create and list projects. One project is open at a time per host; every other service works on it.
import { z } from 'zod';
import { defineService, method } from '../contract/define';
import { empty, ok, pathSchema } from './common';

export const projectKindSchema = z.enum(['generate', 'denoise']);

/** What import does with transparency: decide from the images (keep it when any has it), keep it, or flatten it. */
export const alphaModeSchema = z.enum(['auto', 'keep', 'flatten']);

export const imageCountsSchema = z.object({
  total: z.number().int(),
  ready: z.number().int(),
  failed: z.number().int(),
  duplicate: z.number().int(),
});

export const projectSummarySchema = z.object({
  path: z.string(),
  name: z.string(),
  kind: projectKindSchema,
  imageSize: z.number().int(),
  latentSize: z.number().int(),
  /** 4 when the project keeps transparency (the model learns RGBA), else 3. */
  imageChannels: z.union([z.literal(3), z.literal(4)]),
  images: imageCountsSchema,
  checkpoints: z.number().int(),
  /** The folder last imported, if any. */
  sourceFolder: z.string().nullable(),
});
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

export const recentProjectSchema = z.object({
  path: z.string(),
  name: z.string(),
  openedAt: z.string(),
  /** False when the file has since been moved or deleted. */
  exists: z.boolean(),
});

/**
 * Opening or creating another project while training runs would stop it: refused with code "busy" unless the
 * person agreed to stop it (a checkpoint is saved first).
 */
const switching = { stopTraining: z.boolean().default(false) };

export const projectsService = defineService({
  name: 'projects',
  methods: {
    recent: method(empty, z.object({ projects: z.array(recentProjectSchema) })),
    /** Creates a project file. `path` defaults to "<projects folder>/<name>.vaestudio", made unique. */
    create: method(
      z
        .object({
          name: z.string().min(1).max(120),
          path: pathSchema.optional(),
          kind: projectKindSchema.default('generate'),
          /** Defaults by kind (generator 64 px, latent 128; denoiser: the shipped pretrained model's). */
          imageSize: z.number().int().min(16).max(1024).optional(),
          latentSize: z.number().int().min(2).max(4096).optional(),
          /** Transparency (generators): 'auto' unless given. */
          alpha: alphaModeSchema.optional(),
          /** The folder of images the project will import: checked before anything is created. */
          folder: pathSchema.optional(),
          ...switching,
        })
        .strict(),
      projectSummarySchema,
    ),
    open: method(z.object({ path: pathSchema, ...switching }).strict(), projectSummarySchema),
    current: method(empty, z.object({ project: projectSummarySchema.nullable() })),
    close: method(empty, ok),
    /** Host facts the UI shows: which host, version, the default projects folder. */
    host: method(
      empty,
      z.object({ host: z.enum(['electron', 'server']), version: z.string(), projectsFolder: z.string(), homeFolder: z.string() }),
    ),
  },
  events: {
    changed: z.object({ project: projectSummarySchema.nullable() }),
  },
});
