// Files the user keeps: one image, a contact sheet, an animation (GIF) or strip (PNG row) of given latents in
// order — each enlarged by a whole factor, pixel-sharp or smooth — and the decoder as a TF.js layers model.
// Everything decodes with the active checkpoint. See export-files.ts for where files go, how they are named
// and what is never overwritten.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Resampling } from '../../../shared/services/exports';
import { encodeGif, encodePng, makeGrid, writeFileAtomic } from '../../engine/images';
import { CancelledError, type JobContext, ProgressTracker } from '../../engine/progress';
import { DECODER_WEIGHTS_FILE, decoderModelFiles } from '../../engine/ml/export-layers';
import type { AppContext, ServiceHandlers } from '../api';
import { channelsOf, checkLatent, checkLatents, decodeImages, modelFor, upscaleNearest } from './decoding';
import { projectName } from '../recent';
import { ExportFiles } from './export-files';

const MODEL_JSON = 'model.json';

/** Sheets, strips and animations without a scale: each image enlarged to about this many pixels. */
const USEFUL_TILE = 256;

/**
 * `size`×`size` RGB or RGBA enlarged `scale` times: hard-edged blocks (nearest) or resampled (smooth, Lanczos; libvips
 * resamples RGBA premultiplied, so transparent pixels' colour never bleeds into the edges).
 */
export async function enlarge(pixels: Uint8Array, size: number, scale: number, resampling: Resampling): Promise<Uint8Array> {
  if (scale === 1) return pixels;
  if (resampling === 'nearest') return upscaleNearest(pixels, size, size, scale);
  const out = await sharp(pixels, { raw: { width: size, height: size, channels: channelsOf(pixels.length, size, size) } })
    .resize(size * scale, size * scale, { kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** The scale asked for, or the one that makes a sheet's images useful to look at (about 256 px). */
function tileScale(scale: number | undefined, size: number): number {
  return scale ?? Math.max(1, Math.min(8, Math.round(USEFUL_TILE / size)));
}

export function createExportsHandlers(app: AppContext): ServiceHandlers<'exports'> {
  const files = new ExportFiles(app);

  /** Decodes latents with the active checkpoint, enlarged: progress and cancellation when run as a job. */
  async function decodeAll(latents: readonly (readonly number[])[], scale: number, resampling: Resampling, ctx: JobContext = {}) {
    const { model } = await modelFor(app);
    const packed = checkLatents(latents, model.arch.latent);
    const progress = new ProgressTracker('export', ctx.onProgress);
    const images = await decodeImages(model, packed, (done, total) => {
      if (ctx.signal?.aborted) throw new CancelledError('The export was cancelled.');
      progress.update(done, total, `Decoded ${done} of ${total} frames`, undefined, done === total);
    });
    const { size } = model.arch;
    return { images: await Promise.all(images.map((image) => enlarge(image, size, scale, resampling))), size: size * scale };
  }

  /** "Drawings - sheet of 12 - step 848 - 8x pixel-sharp": what a generated file name says it is. */
  async function describe(what: string, scale: number, resampling: Resampling): Promise<string> {
    const { checkpoint } = await modelFor(app);
    const project = projectName(app.session.requireStore().path);
    const look = scale === 1 ? 'actual size' : `${scale}x ${resampling === 'nearest' ? 'pixel-sharp' : 'smooth'}`;
    return `${project} - ${what} - step ${checkpoint.step} - ${look}`;
  }

  async function writePng(kind: 'sheet' | 'strip', latents: number[][], columns: number | undefined, path: string | undefined, scaleAsked: number | undefined, resampling: Resampling) {
    const { model } = await modelFor(app);
    const scale = tileScale(scaleAsked, model.arch.size);
    const what = kind === 'sheet' ? `sheet of ${latents.length}` : `strip of ${latents.length}`;
    const target = await files.fileTarget(kind, '.png', path, await describe(what, scale, resampling));
    try {
      const { images, size } = await decodeAll(latents, scale, resampling);
      const grid = makeGrid(images, size, columns, Math.max(2, 2 * scale));
      return { path: target.path, media: await files.write(target, await encodePng(grid.pixels, grid.width, grid.height, grid.channels)) };
    } catch (error) {
      await files.release(target);
      throw error;
    }
  }

  return {
    png: async ({ latent, path, scale, resampling }) => {
      const { model } = await modelFor(app);
      const { size } = model.arch;
      const z = checkLatent(latent, model.arch.latent);
      const target = await files.fileTarget('image', '.png', path, await describe('image', scale, resampling));
      try {
        const pixels = await enlarge(model.decode(z), size, scale, resampling);
        return { path: target.path, media: await files.write(target, await encodePng(pixels, size * scale, size * scale, model.imageChannels)) };
      } catch (error) {
        await files.release(target);
        throw error;
      }
    },

    sheet: ({ latents, columns, path, scale, resampling }) => writePng('sheet', latents, columns, path, scale, resampling),

    strip: ({ latents, path, scale, resampling }) => writePng('strip', latents, latents.length, path, scale, resampling),

    gif: async ({ latents, fps, path, jobId, scale: scaleAsked, resampling }) => {
      const scale = tileScale(scaleAsked, (await modelFor(app)).model.arch.size);
      const target = await files.fileTarget('animation', '.gif', path, await describe(`animation of ${latents.length} frames`, scale, resampling));
      const work = async (ctx: JobContext) => {
        const { images, size } = await decodeAll(latents, scale, resampling, ctx);
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
      const named = `${projectName(store.path)} - decoder - step ${checkpoint.step}`;
      const target = await files.folderTarget(folder, [MODEL_JSON, DECODER_WEIGHTS_FILE], named);
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
