// Inference services: prior samples, reconstructions and latent interpolations written as images.
import { extname } from 'node:path';
import { interpolationPath, type InterpolationMode } from '../../../shared/latent';
import { encodeGif, encodePng, makeGrid, prepareImageAny, writeFileAtomic } from '../images';
import { initBackend, type BackendChoice } from '../ml/backends';
import { gatherBatch, splitImages } from '../ml/batches';
import type { ProjectStore } from '../store';
import { loadModel } from './model-io';
import { InvalidOptionError } from './options';
import type { PriorChoice } from '../ml/model';

interface Common {
  checkpointId?: number;
  backend?: BackendChoice;
}

export interface WrittenImage {
  out: string;
  checkpointId: number;
  width: number;
  height: number;
}

async function withModel<T>(store: ProjectStore, opts: Common, fn: (m: ReturnType<typeof loadModel>) => Promise<T>): Promise<T> {
  await initBackend(opts.backend ?? 'auto');
  const loaded = loadModel(store, opts.checkpointId);
  try {
    return await fn(loaded);
  } finally {
    loaded.model.dispose();
  }
}

/** Sheets are PNG; refuse another extension rather than write PNG bytes under a misleading name. */
function checkPngOut(out: string): void {
  if (extname(out).toLowerCase() !== '.png') throw new InvalidOptionError(`The output must be a .png file, got ${out}`);
}

async function writeSheet(out: string, images: Uint8Array[], size: number, cols?: number) {
  const grid = makeGrid(images, size, cols);
  await writeFileAtomic(out, await encodePng(grid.pixels, grid.width, grid.height, grid.channels));
  return { width: grid.width, height: grid.height };
}

export async function sample(
  store: ProjectStore,
  opts: Common & { out: string; count?: number; seed?: number; temperature?: number; prior?: PriorChoice },
): Promise<WrittenImage & { count: number; seed: number; temperature: number; prior: PriorChoice }> {
  const count = opts.count ?? 16;
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const temperature = opts.temperature ?? 1;
  if (!(count >= 1 && count <= 4096)) throw new InvalidOptionError(`--count must be from 1 to 4096, got ${count}`);
  checkPngOut(opts.out);
  if (!(temperature > 0 && temperature <= 10)) throw new InvalidOptionError(`--temperature must be above 0 and at most 10, got ${temperature}`);
  return withModel(store, opts, async ({ model, checkpoint }) => {
    const { z, prior } = model.samplePrior(count, seed, temperature, opts.prior);
    const images = splitImages(model.decode(z), model.arch.size, model.imageChannels);
    const dims = await writeSheet(opts.out, images, model.arch.size);
    return { out: opts.out, checkpointId: checkpoint.id, count, seed, temperature, prior, ...dims };
  });
}

/** Encodes user images (any size: centre-cropped and resized to the model's) and returns their posterior means. */
async function encodeFiles(model: ReturnType<typeof loadModel>['model'], files: string[]) {
  const size = model.arch.size;
  const prepared = await Promise.all(files.map((f) => prepareImageAny(f, size, { alpha: model.imageChannels === 4 })));
  const packed = new Uint8Array(prepared.length * model.imageDims);
  prepared.forEach((p, i) => packed.set(p.pixels, i * model.imageDims));
  const { mu } = model.encode(gatherBatch(packed, size, prepared.map((_, i) => i), undefined, model.imageChannels));
  return { prepared, mu };
}

export async function reconstruct(store: ProjectStore, opts: Common & { images: string[]; out: string }): Promise<WrittenImage & { count: number }> {
  if (opts.images.length === 0) throw new InvalidOptionError('Give at least one image to reconstruct');
  checkPngOut(opts.out);
  return withModel(store, opts, async ({ model, checkpoint }) => {
    const { prepared, mu } = await encodeFiles(model, opts.images);
    const recon = splitImages(model.decode(mu), model.arch.size, model.imageChannels);
    const dims = await writeSheet(opts.out, [...prepared.map((p) => p.pixels), ...recon], model.arch.size, prepared.length);
    return { out: opts.out, checkpointId: checkpoint.id, count: prepared.length, ...dims };
  });
}

export async function interpolate(
  store: ProjectStore,
  opts: Common & { a: string; b: string; out: string; frames?: number; mode?: InterpolationMode; delayMs?: number },
): Promise<WrittenImage & { frames: number; mode: InterpolationMode; format: 'gif' | 'png' }> {
  const frames = opts.frames ?? 16;
  const mode = opts.mode ?? 'slerp';
  if (!Number.isInteger(frames) || frames < 2 || frames > 1000) throw new InvalidOptionError(`--frames must be a whole number from 2 to 1000, got ${frames}`);
  if (mode !== 'slerp' && mode !== 'linear') throw new InvalidOptionError(`--mode must be slerp or linear, got ${String(mode)}`);
  const ext = extname(opts.out).toLowerCase();
  if (ext !== '.gif' && ext !== '.png') throw new InvalidOptionError(`The output must end in .gif (animation) or .png (strip), got ${opts.out}`);
  return withModel(store, opts, async ({ model, checkpoint }) => {
    const latent = model.arch.latent;
    const size = model.arch.size;
    const { mu } = await encodeFiles(model, [opts.a, opts.b]);
    const path = interpolationPath(mu.subarray(0, latent), mu.subarray(latent), frames, mode);
    const z = new Float32Array(frames * latent);
    path.forEach((code, i) => z.set(code, i * latent));
    const images = splitImages(model.decode(z), size, model.imageChannels);
    if (ext === '.gif') {
      await writeFileAtomic(opts.out, encodeGif(images, size, size, { delayMs: opts.delayMs ?? 80, loop: true }));
      return { out: opts.out, checkpointId: checkpoint.id, frames, mode, format: 'gif', width: size, height: size };
    }
    const dims = await writeSheet(opts.out, images, size, frames);
    return { out: opts.out, checkpointId: checkpoint.id, frames, mode, format: 'png', ...dims };
  });
}
