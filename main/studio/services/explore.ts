// The latent canvas: the dataset's latent map, live decoding of any latent (the pointer-move path), samples
// from the prior, and where a dropped or chosen image lands (its latent, reconstruction and neighbours).
import { RpcError } from '../../../shared/contract/define';
import { gatherBatch } from '../../engine/ml/batches';
import type { AppContext, ServiceHandlers } from '../api';
import { buildLatentMap, thumbRef } from '../../engine/latent-map/build-map';
import { datasetKey, LatentMapCache } from '../../engine/latent-map/map-cache';
import { nearestNeighbours } from '../../engine/latent-map/neighbours';
import { checkLatent, dataUrlBytes, datasetPixels, decodeImages, droppedPixels, modelFor, pngDataUrl } from './decoding';

export const NEIGHBOURS = 8;

export function createExploreHandlers(app: AppContext): ServiceHandlers<'explore'> {
  const maps = new LatentMapCache();
  app.session.onChange(() => maps.clear());
  /** Reused input of the live decode path (one per latent size), so a pointer move allocates no latent. */
  let scratch = new Float32Array(0);

  return {
    map: async ({ jobId }) => {
      const store = app.session.requireStore();
      const { checkpoint } = await modelFor(app);
      const key = datasetKey(store);
      return app.jobs.run(jobId, 'map', async (ctx) => {
        let data = maps.get(checkpoint.id, key);
        if (!data) {
          data = await buildLatentMap(app, store, checkpoint, async () => (await modelFor(app, checkpoint.id)).model, ctx);
          maps.set(checkpoint.id, key, data);
        }
        return data.map;
      });
    },

    decode: async ({ latent }) => {
      const { model, checkpoint } = await modelFor(app);
      const { latent: latentSize, size } = model.arch;
      if (latent.length !== latentSize) checkLatent(latent, latentSize); // throws the user-facing refusal
      if (scratch.length !== latentSize) scratch = new Float32Array(latentSize);
      for (let i = 0; i < latentSize; i++) scratch[i] = latent[i];
      const pixels = model.decode(scratch);
      const rgb = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString('base64');
      return { width: size, height: size, channels: model.imageChannels, rgb, checkpointId: checkpoint.id, checkpointStep: checkpoint.step };
    },

    sample: async ({ count, temperature, seed }) => {
      const { model } = await modelFor(app);
      const { latent, size } = model.arch;
      const { z } = model.samplePrior(count, seed, temperature);
      const images = await decodeImages(model, z);
      return {
        items: await Promise.all(
          images.map(async (pixels, i) => ({ latent: Array.from(z.subarray(i * latent, (i + 1) * latent)), image: await pngDataUrl(pixels, size, size) })),
        ),
      };
    },

    encode: async (input) => {
      const store = app.session.requireStore();
      const { model, checkpoint } = await modelFor(app);
      const { size } = model.arch;
      const imageId = 'imageId' in input ? input.imageId : null;
      const pixels = 'imageId' in input ? datasetPixels(store, input.imageId) : await droppedPixels(dataUrlBytes(input.image), size, model.imageChannels);
      if (pixels.length !== size * size * model.imageChannels) {
        throw new RpcError('failed', 'This image was prepared as RGB and the checkpoint keeps transparency (or the other way round); restore a checkpoint trained since the change.');
      }
      const { mu } = model.encode(gatherBatch(pixels, size, [0], undefined, model.imageChannels));
      const reconstruction = model.decode(mu);
      const data = maps.latestFor(checkpoint.id);
      const neighbours = data
        ? nearestNeighbours(data.latents, mu, NEIGHBOURS, (i) => data.map.points[i].imageId === imageId).map(({ index, distance }) => {
            const id = data.map.points[index].imageId;
            return { imageId: id, distance, thumb: thumbRef(app, id) };
          })
        : [];
      return {
        latent: Array.from(mu),
        input: await pngDataUrl(pixels, size, size),
        reconstruction: await pngDataUrl(reconstruction, size, size),
        neighbours,
      };
    },
  };
}

