// The gallery: images the user kept, each stored with what made it so it can be decoded again and checked
// against what was saved. Images are served as media "gallery/<id>".
import { RpcError } from '../../../shared/contract/define';
import type { GalleryItem } from '../../../shared/services/gallery';
import { encodePng } from '../../engine/images';
import type { GalleryRecord } from '../../engine/store';
import type { AppContext, ServiceHandlers } from '../api';
import { numericId } from '../media';
import { checkLatent, modelFor, pngDataUrl, pngPixels } from './decoding';

export function createGalleryHandlers(app: AppContext): ServiceHandlers<'gallery'> {
  app.registerMedia('gallery', (id) => {
    const itemId = numericId(id);
    const png = itemId === null ? undefined : app.session.current()?.gallery.png(itemId);
    return png ? { mime: 'image/png', bytes: Buffer.from(png), filename: `gallery-${itemId}.png` } : null;
  });

  const find = (id: number): GalleryRecord => {
    const record = app.session.requireStore().gallery.get(id);
    if (!record) throw new RpcError('not-found', `There is no gallery image ${id}; it may have been removed.`);
    return record;
  };

  return {
    save: async ({ latent, operation, seed, temperature, note }) => {
      const store = app.session.requireStore();
      const { model, checkpoint } = await modelFor(app);
      const { size } = model.arch;
      const z = checkLatent(latent, model.arch.latent);
      const png = await encodePng(model.decode(z), size, size, model.imageChannels);
      const record = store.gallery.add({
        checkpointId: checkpoint.id,
        checkpointStep: checkpoint.step,
        operation,
        latent: z,
        seed: seed ?? null,
        temperature: temperature ?? null,
        note,
        png,
      });
      return toItem(app, record);
    },

    list: async () => ({ items: app.session.requireStore().gallery.list().map((r) => toItem(app, r)) }),

    regenerate: async ({ id }) => {
      const store = app.session.requireStore();
      const record = find(id);
      if (!record.checkpointExists) {
        throw new RpcError(
          'not-found',
          `This image was made with checkpoint ${record.checkpointId} (step ${record.checkpointStep}), which has since been deleted, so it cannot be regenerated.`,
        );
      }
      const { model } = await modelFor(app, record.checkpointId);
      const { size } = model.arch;
      if (record.latent.length !== model.arch.latent) {
        throw new RpcError('failed', `Gallery image ${id} has a latent of ${record.latent.length} values, but its checkpoint decodes ${model.arch.latent}.`);
      }
      const pixels = model.decode(record.latent);
      const saved = store.gallery.png(id);
      const identical = saved !== undefined && Buffer.from(await pngPixels(saved, model.imageChannels)).equals(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength));
      return { image: await pngDataUrl(pixels, size, size), identical };
    },

    remove: async ({ id }) => {
      if (!app.session.requireStore().gallery.remove(id)) {
        throw new RpcError('not-found', `There is no gallery image ${id}; it may have been removed already.`);
      }
      return {};
    },
  };
}

function toItem(app: AppContext, record: GalleryRecord): GalleryItem {
  return {
    id: record.id,
    createdAt: record.createdAt,
    checkpointId: record.checkpointId,
    checkpointStep: record.checkpointStep,
    checkpointSavedAt: app.session.current()?.checkpoints.info(record.checkpointId)?.createdAt ?? null,
    operation: record.operation,
    latent: Array.from(record.latent),
    seed: record.seed,
    temperature: record.temperature,
    note: record.note,
    image: app.mediaRef('gallery', record.id),
  };
}
