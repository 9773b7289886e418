// The project's one settings row: what kind of model it trains, at what size, and whether it keeps transparency.
// Kind and size are fixed at creation; the image size decides the byte length of every prepared image, so it is never
// edited in place. The channel count changes only together with re-preparing every image (operations/import-folder).
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ProjectError } from './errors';

export const PROJECT_KINDS = ['generate', 'denoise'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

/** What import does with transparency: decide from the images, keep it (RGBA) or flatten it over white (RGB). */
export const ALPHA_MODES = ['auto', 'keep', 'flatten'] as const;
export type AlphaMode = (typeof ALPHA_MODES)[number];

export const MIN_IMAGE_SIZE = 16;
export const MAX_IMAGE_SIZE = 1024;
export const MAX_LATENT_SIZE = 4096;

/** What a new project is created with. */
export interface ProjectSettings {
  kind: ProjectKind;
  /** Side of the square training image in pixels: a power of two, 16 to 1024. */
  imageSize: number;
  /** Number of latent dimensions. */
  latentSize: number;
  /** Version of the app that creates the project, e.g. "0.1.0". */
  appVersion: string;
  /** What import does with transparency; default 'auto' (keep it when the first import has any). */
  alpha?: AlphaMode;
}

/** The settings as stored. */
export interface SavedSettings extends ProjectSettings {
  /** ISO 8601 time of creation. */
  createdAt: string;
  alpha: AlphaMode;
  /** Channels of every prepared image and of the model: 3 (RGB) or 4 (RGBA). */
  imageChannels: 3 | 4;
}

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

const settingsSchema = z.object({
  kind: z.enum(PROJECT_KINDS, { error: `Project kind must be one of: ${PROJECT_KINDS.join(', ')}` }),
  imageSize: z
    .number({ error: 'Image size must be a number' })
    .refine((n) => isPowerOfTwo(n) && n >= MIN_IMAGE_SIZE && n <= MAX_IMAGE_SIZE, {
      error: (issue) =>
        `Image size must be a power of two from ${MIN_IMAGE_SIZE} to ${MAX_IMAGE_SIZE} (got ${String(issue.input)})`,
    }),
  latentSize: z
    .number({ error: 'Latent size must be a number' })
    .int({ error: 'Latent size must be a whole number' })
    .min(1, { error: 'Latent size must be at least 1' })
    .max(MAX_LATENT_SIZE, { error: `Latent size must be at most ${MAX_LATENT_SIZE}` }),
  appVersion: z.string({ error: 'App version is required' }).min(1, { error: 'App version is required' }),
  alpha: z.enum(ALPHA_MODES, { error: `Alpha must be one of: ${ALPHA_MODES.join(', ')}` }).optional(),
}).refine((s) => !(s.kind === 'denoise' && s.alpha === 'keep'), {
  error: 'A denoise project works on RGB photos: transparency cannot be kept (--alpha keep is for generator projects)',
});

/** Checks settings for a new project; throws ProjectError('invalid-settings') with the first problem. */
export function validateSettings(input: ProjectSettings): ProjectSettings {
  const result = settingsSchema.safeParse(input);
  if (!result.success) {
    throw new ProjectError('invalid-settings', result.error.issues[0]?.message ?? 'Invalid project settings');
  }
  return result.data;
}

/** A denoise project keeps this many clean crops of each photo, each imageSize × imageSize at native resolution. */
export const DENOISE_CROPS_PER_PHOTO = 8;

/** Bytes of one prepared image: size × size × channels, one byte each (per crop, for a denoise project). */
export function bytesPerImage(imageSize: number, kind: ProjectKind = 'generate', channels = 3): number {
  return imageSize * imageSize * channels * (kind === 'denoise' ? DENOISE_CROPS_PER_PHOTO : 1);
}

export function writeSettings(db: Database.Database, settings: ProjectSettings, createdAt: string): void {
  db.prepare(
    `INSERT INTO project (id, kind, image_size, latent_size, created_at, app_version, alpha, image_channels)
     VALUES (1, @kind, @imageSize, @latentSize, @createdAt, @appVersion, @alpha, 3)`,
  ).run({ ...settings, alpha: settings.alpha ?? 'auto', createdAt });
}

/** Records what import decided about transparency (call it together with re-preparing the images). */
export function writeImageFormat(db: Database.Database, format: { alpha: AlphaMode; imageChannels: 3 | 4 }): void {
  db.prepare('UPDATE project SET alpha = @alpha, image_channels = @imageChannels WHERE id = 1').run(format);
}

export function readSettings(db: Database.Database): SavedSettings | undefined {
  return db
    .prepare(
      `SELECT kind, image_size AS imageSize, latent_size AS latentSize, created_at AS createdAt,
              app_version AS appVersion, alpha, image_channels AS imageChannels
       FROM project WHERE id = 1`,
    )
    .get() as SavedSettings | undefined;
}
