// Schemas several services share. Limits here are the renderer boundary's: every string and array is bounded.
import { z } from 'zod';

/** An absolute or ~-relative filesystem path typed or picked by the user. */
export const pathSchema = z.string().min(1, 'A path is required').max(4096, 'That path is too long');

/** Opaque id of an image the host serves (thumbnail, preview, export); the transport turns it into a URL. */
export const mediaRefSchema = z.string().regex(/^[a-z-]+\/[A-Za-z0-9._-]{1,200}$/, 'Not a media reference');

/** A small image inline, e.g. "data:image/png;base64,...". */
export const dataUrlSchema = z.string().startsWith('data:image/').max(16_000_000);

/** A latent vector; its length must match the project's latent size (checked by the host). */
export const latentSchema = z.array(z.number().finite()).min(1).max(4096);

/** Client-chosen id that links a long call to its jobs.progress events and to jobs.cancel. */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'Not a job id');

export const empty = z.object({}).strict();
export const ok = z.object({}).loose();

export const seedSchema = z.number().int().min(0).max(2 ** 31 - 1);
export const idSchema = z.number().int().positive();
