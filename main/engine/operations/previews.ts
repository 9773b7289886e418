// The pictures a run leaves behind each epoch: originals above their reconstructions, and prior samples.
import { gatherBatch, splitImages } from '../ml/batches';
import type { VaeModel } from '../ml/model';
import { Rng } from '../ml/rng';
import { encodePng, makeGrid } from '../images';

export const PREVIEW_RECONSTRUCTIONS = 8;
export const PREVIEW_SAMPLES = 16;

/** Originals (top row) over their reconstructions from the posterior mean (bottom row). */
export async function reconstructionSheet(model: VaeModel, pixels: Uint8Array, count: number): Promise<Buffer> {
  const size = model.arch.size;
  const n = Math.min(count, pixels.length / model.imageDims);
  const indices = Array.from({ length: n }, (_, i) => i);
  const { mu } = model.encode(gatherBatch(pixels, size, indices, undefined, model.imageChannels));
  const recon = splitImages(model.decode(mu), size, model.imageChannels);
  const originals = splitImages(pixels.subarray(0, n * model.imageDims), size, model.imageChannels);
  const grid = makeGrid([...originals, ...recon], size, n);
  return encodePng(grid.pixels, grid.width, grid.height, grid.channels);
}

export async function sampleSheet(model: VaeModel, count: number, seed: number, temperature = 1): Promise<Buffer> {
  const size = model.arch.size;
  const images = splitImages(model.decode(model.samplePrior(count, seed, temperature).z), size, model.imageChannels);
  const grid = makeGrid(images, size);
  return encodePng(grid.pixels, grid.width, grid.height, grid.channels);
}
