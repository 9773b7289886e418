// Files the user keeps: one image (optionally upscaled), a contact sheet, an animation (GIF) or strip (PNG row)
// of given latents in order, and the decoder as a TF.js layers model. Everything decodes with the active
// checkpoint. See export-files.ts for where files go and what is never overwritten.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeGif, encodePng, makeGrid, writeFileAtomic } from '../../engine/images';
import { CancelledError, type JobContext, ProgressTracker } from '../../engine/progress';
import { DECODER_WEIGHTS_FILE, decoderModelFiles } from '../../engine/ml/export-layers';
import type { AppContext, ServiceHandlers } from '../api';
import { checkLatent, checkLatents, decodeImages, modelFor, upscaleNearest } from './decoding';
import { ExportFiles } from './export-files';

const MODEL_JSON = 'model.json';

export function createExportsHandlers(app: AppContext): ServiceHandlers<'exports'> {
  const files = new ExportFiles(app);

  /** Decodes latents with the active checkpoint: progress and cancellation when run as a job. */
  async function decodeAll(latents: readonly (readonly number[])[], ctx: JobContext = {}) {
    const { model } = await modelFor(app);
    const packed = checkLatents(latents, model.arch.latent);
    const progress = new ProgressTracker('export', ctx.onProgress);
    const images = await decodeImages(model, packed, (done, total) => {
      if (ctx.signal?.aborted) throw new CancelledError('The export was cancelled.');
      progress.update(done, total, `Decoded ${done} of ${total} frames`, undefined, done === total);
    });
    return { images, size: model.arch.size };
  }

  async function writePng(kind: 'sheet' | 'strip', latents: number[][], columns: number | undefined, path: string | undefined) {
    const target = await files.fileTarget(kind, '.png', path);
    try {
      const { images, size } = await decodeAll(latents);
      const grid = makeGrid(images, size, columns);
      return { path: target.path, media: await files.write(target, await encodePng(grid.pixels, grid.width, grid.height)) };
    } catch (error) {
      await files.release(target);
      throw error;
    }
  }

  return {
    png: async ({ latent, path, scale }) => {
      const { model } = await modelFor(app);
      const { size } = model.arch;
      const z = checkLatent(latent, model.arch.latent);
      const target = await files.fileTarget('image', '.png', path);
      try {
        const pixels = upscaleNearest(model.decode(z), size, size, scale);
        return { path: target.path, media: await files.write(target, await encodePng(pixels, size * scale, size * scale)) };
      } catch (error) {
        await files.release(target);
        throw error;
      }
    },

    sheet: ({ latents, columns, path }) => writePng('sheet', latents, columns, path),

    strip: ({ latents, path }) => writePng('strip', latents, latents.length, path),

    gif: async ({ latents, fps, path, jobId }) => {
      const target = await files.fileTarget('animation', '.gif', path);
      const work = async (ctx: JobContext) => {
        const { images, size } = await decodeAll(latents, ctx);
        const gif = encodeGif(images, size, size, { delayMs: 1000 / fps, loop: true });
        return { path: target.path, media: await files.write(target, gif), frames: images.length };
      };
      try {
        return jobId ? await app.jobs.run(jobId, 'export', work) : await work({});
      } catch (error) {
        await files.release(target);
        throw error;
      }
    },

    decoderModel: async ({ folder }) => {
      const { model, checkpoint } = await modelFor(app);
      const store = app.session.requireStore();
      const exported = await decoderModelFiles(model, { checkpointId: checkpoint.id, step: checkpoint.step, project: store.path });
      const target = await files.folderTarget(folder, [MODEL_JSON, DECODER_WEIGHTS_FILE]);
      try {
        // Weights first: model.json appears only once what it points to is in place.
        await writeFileAtomic(join(target, DECODER_WEIGHTS_FILE), exported.weights);
        await writeFileAtomic(join(target, MODEL_JSON), JSON.stringify(exported.modelJson));
      } catch (error) {
        if (folder === undefined) await rm(target, { recursive: true, force: true }); // the folder we made for it
        throw error;
      }
      return { path: target, media: null };
    },
  };
}
