// The latent map of a dataset: every ready image encoded (posterior means, in batches) with one checkpoint,
// then PCA of the means. Runs as the "map" job: progress per batch, cancellable between batches, and it
// yields to the event loop between batches so live decoding stays responsive while it runs.
import type { LatentMap } from '../../../shared/services/explore';
import { CancelledError, type JobContext, ProgressTracker } from '../progress';
import { gatherBatch } from '../ml/batches';
import type { VaeModel } from '../ml/model';
import type { Checkpoint, ProjectStore } from '../store';
import { pca } from './pca';

export const MAP_COMPONENTS = 8;
const BATCH = 64;

/** The map as the renderer gets it, plus what nearest-neighbour search needs. */
export interface LatentMapData {
  map: LatentMap;
  /** Posterior means, one row of `latentSize` per point, in the order of map.points. */
  latents: Float32Array;
}

/** What makes a media reference for the open project (the studio's context provides it). */
export interface MediaRefs {
  mediaRef(prefix: string, id: string | number): string;
}

export const thumbRef = (app: MediaRefs, imageId: number) => app.mediaRef('thumb', imageId);

/**
 * `getModel` is asked again for every batch: the session may drop a cached model while the job waits between
 * batches (another checkpoint decoded meanwhile), and asking again rebuilds it rather than using a disposed one.
 */
export async function buildLatentMap(
  app: MediaRefs,
  store: ProjectStore,
  checkpoint: Checkpoint,
  getModel: () => Promise<VaeModel>,
  ctx: JobContext = {},
): Promise<LatentMapData> {
  const { size, latent, imageChannels } = (await getModel()).arch;
  const ids = store.images.list({ status: 'ok' }).map((image) => image.id);
  if (ids.length === 0) throw new Error('There are no ready images to map yet; import a folder of images first.');
  const progress = new ProgressTracker('map', ctx.onProgress);
  progress.update(0, ids.length, `Encoding ${ids.length} images`, undefined, true);
  const latents = new Float32Array(ids.length * latent);
  const imageDims = size * size * imageChannels;
  const packed = new Uint8Array(BATCH * imageDims);
  for (let start = 0; start < ids.length; start += BATCH) {
    if (ctx.signal?.aborted) throw new CancelledError('The map was cancelled.');
    const batchIds = ids.slice(start, start + BATCH);
    batchIds.forEach((id, i) => {
      const pixels = store.images.pixels(id);
      if (!pixels) throw new Error(`The prepared pixels of image ${id} are missing; import the folder again.`);
      if (pixels.length !== imageDims) throw new Error(`Image ${id} is prepared as ${pixels.length / (size * size) === 4 ? 'RGBA' : 'RGB'}, not as this checkpoint's model sees images; map a checkpoint trained since the change.`);
      packed.set(pixels, i * imageDims);
    });
    const { mu } = (await getModel()).encode(gatherBatch(packed, size, batchIds.map((_, i) => i), undefined, imageChannels));
    latents.set(mu, start * latent);
    const done = start + batchIds.length;
    progress.update(done, ids.length, `Encoded ${done} of ${ids.length} images`, undefined, done === ids.length);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { mean, components, variances } = pca(latents, ids.length, latent, MAP_COMPONENTS);
  const points = ids.map((imageId, i) => {
    const row = latents.subarray(i * latent, (i + 1) * latent);
    return { imageId, x: project(row, mean, components[0]), y: project(row, mean, components[1]), thumb: thumbRef(app, imageId), latent: Array.from(row) };
  });
  return {
    latents,
    map: {
      checkpointId: checkpoint.id,
      latentSize: latent,
      mean: Array.from(mean),
      components: components.map((c) => Array.from(c)),
      scales: variances.map(Math.sqrt),
      points,
    },
  };
}

function project(row: Float32Array, mean: Float64Array, component: Float64Array): number {
  let s = 0;
  for (let j = 0; j < row.length; j++) s += (row[j] - mean[j]) * component[j];
  return s;
}
