import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempFolder } from '../../engine/store/test-support/temp-folder';
import { createExploreHandlers } from './explore';
import { createGalleryHandlers } from './gallery';
import { createTestApp, type TestApp } from './test-context';

const tempFolder = useTempFolder();
let open: TestApp | undefined;
afterEach(() => open?.close());

async function setup() {
  open = await createTestApp(tempFolder(), { images: 1 });
  return { ...open, gallery: createGalleryHandlers(open.app), explore: createExploreHandlers(open.app) };
}

const ctx = { emit: () => undefined };
const dataUrlPixels = (url: string) => sharp(Buffer.from(url.split(',')[1], 'base64')).raw().toBuffer();

describe('gallery', () => {
  it('saves a sample with its provenance, regenerates it identically, and removes it', async () => {
    const { gallery, explore, checkpoint, media } = await setup();
    const [sample] = (await explore.sample({ count: 1, temperature: 0.7, seed: 11 }, ctx)).items;
    const item = await gallery.save({ latent: sample.latent, operation: 'sample', seed: 11, temperature: 0.7, note: 'keep' }, ctx);
    expect(item).toMatchObject({ checkpointId: checkpoint.id, operation: 'sample', seed: 11, temperature: 0.7, note: 'keep', image: `gallery/test-${item.id}` });
    item.latent.forEach((v, j) => expect(v).toBeCloseTo(sample.latent[j], 6));
    const other = await gallery.save({ latent: Array(8).fill(0.5), operation: 'slider', note: '' }, ctx);
    expect(other).toMatchObject({ seed: null, temperature: null });

    const stored = await media(item.image);
    expect(stored?.mime).toBe('image/png');
    expect((await sharp(stored!.bytes!).raw().toBuffer()).equals(await dataUrlPixels(sample.image))).toBe(true);

    const again = await gallery.regenerate({ id: item.id }, ctx);
    expect(again.identical).toBe(true);
    expect((await dataUrlPixels(again.image)).equals(await dataUrlPixels(sample.image))).toBe(true);

    expect((await gallery.list({}, ctx)).items.map((i) => i.id)).toEqual([other.id, item.id]);
    await gallery.remove({ id: item.id }, ctx);
    expect((await gallery.list({}, ctx)).items.map((i) => i.id)).toEqual([other.id]);
    expect(await media(item.image)).toBeNull();
    await expect(gallery.remove({ id: item.id }, ctx)).rejects.toMatchObject({ code: 'not-found' });
    await expect(gallery.regenerate({ id: item.id }, ctx)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('regenerates with the item’s own checkpoint, not the active one', async () => {
    const { gallery, addCheckpoint, checkpoint } = await setup();
    const item = await gallery.save({ latent: [1, -1, 2, -2, 0, 0, 1, 1], operation: 'map', note: '' }, ctx);
    const newer = addCheckpoint(5); // now the active one: it decodes the same latent differently
    const withNewer = await gallery.save({ latent: item.latent, operation: 'map', note: '' }, ctx);
    expect(withNewer.checkpointId).toBe(newer.id);
    expect(item.checkpointId).toBe(checkpoint.id);
    expect((await gallery.regenerate({ id: item.id }, ctx)).identical).toBe(true);
  });

  it('says so when an item was changed on disk, and when its checkpoint is gone', async () => {
    const { gallery, store, checkpoint } = await setup();
    const item = await gallery.save({ latent: Array(8).fill(1), operation: 'encode', note: '' }, ctx);
    const grey = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 128, g: 128, b: 128 } } }).png().toBuffer();
    store.db.prepare('UPDATE gallery SET png = ? WHERE id = ?').run(grey, item.id);
    expect((await gallery.regenerate({ id: item.id }, ctx)).identical).toBe(false);

    store.db.prepare('DELETE FROM checkpoints WHERE id = ?').run(checkpoint.id);
    await expect(gallery.regenerate({ id: item.id }, ctx)).rejects.toMatchObject({
      code: 'not-found',
      message: `This image was made with checkpoint ${checkpoint.id} (step ${checkpoint.step}), which has since been deleted, so it cannot be regenerated.`,
    });
    expect((await gallery.list({}, ctx)).items).toHaveLength(1);
  });

  it('refuses a latent of the wrong length', async () => {
    const { gallery } = await setup();
    await expect(gallery.save({ latent: [1], operation: 'sample', note: '' }, ctx)).rejects.toThrow("The latent has 1 values, but this project's latents have 8.");
  });
});
