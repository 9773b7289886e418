import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { failedImage, okImage } from '../../engine/store/test-support/fixtures';
import { useTempFolder } from '../../engine/store/test-support/temp-folder';
import { createExploreHandlers } from './explore';
import { createTestApp, type TestApp } from './test-context';

const tempFolder = useTempFolder();
let open: TestApp | undefined;
afterEach(() => open?.close());

async function setup(images = 20) {
  open = await createTestApp(tempFolder(), { images });
  return { ...open, explore: createExploreHandlers(open.app) };
}

const ctx = { emit: () => undefined };
const pngBytes = (dataUrl: string) => sharp(Buffer.from(dataUrl.split(',')[1], 'base64')).metadata();

describe('explore.map', () => {
  it('has one point per ready image, unit principal axes and the spread along each', async () => {
    const { explore, store, checkpoint, progress } = await setup(20);
    store.images.upsert(failedImage('broken.jpg'));
    const map = await explore.map({ jobId: 'map-1' }, ctx);
    expect(map.points).toHaveLength(20);
    expect(map.checkpointId).toBe(checkpoint.id);
    expect(map.components).toHaveLength(8);
    for (const c of map.components) expect(Math.hypot(...c)).toBeCloseTo(1, 5);
    expect(map.scales[0]).toBeGreaterThan(0);
    expect(map.scales).toEqual([...map.scales].sort((a, b) => b - a));
    const point = map.points[0];
    expect(point.thumb).toBe(`thumb/test-${point.imageId}`);
    expect(point.latent).toHaveLength(8);
    // x is the projection of the point's latent on the first axis, around the mean
    const x = point.latent.reduce((s, v, j) => s + (v - map.mean[j]) * map.components[0][j], 0);
    expect(point.x).toBeCloseTo(x, 5);
    expect(progress.filter((p) => p.jobId === 'map-1').at(-1)?.event.fraction).toBe(1);
  });

  it('is cached per checkpoint and rebuilt when the dataset or the checkpoint changes', async () => {
    const { explore, store, addCheckpoint, progress } = await setup(5);
    const first = await explore.map({ jobId: 'a' }, ctx);
    expect(await explore.map({ jobId: 'b' }, ctx)).toBe(first);
    expect(progress.some((p) => p.jobId === 'b')).toBe(false);
    store.images.upsert(okImage('new.png'));
    expect((await explore.map({ jobId: 'c' }, ctx)).points).toHaveLength(6);
    const second = addCheckpoint(2);
    expect((await explore.map({ jobId: 'd' }, ctx)).checkpointId).toBe(second.id);
  });

  it('can be cancelled between batches', async () => {
    const { explore, app, progress } = await setup(200);
    const running = explore.map({ jobId: 'long' }, ctx);
    while (!progress.some((p) => p.jobId === 'long' && p.event.message.startsWith('Encoding'))) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(app.jobs.cancel('long')).toBe(true);
    await expect(running).rejects.toThrow('The map was cancelled.');
    expect((await explore.map({ jobId: 'again' }, ctx)).points).toHaveLength(200);
  });

  it('says to import images when there are none', async () => {
    const { explore } = await setup(0);
    await expect(explore.map({ jobId: 'e' }, ctx)).rejects.toThrow('There are no ready images to map yet');
  });
});

describe('explore.decode', () => {
  it('returns size×size×3 RGB bytes that depend on the latent', async () => {
    const { explore } = await setup(1);
    const a = await explore.decode({ latent: [0, 0, 0, 0, 0, 0, 0, 0] }, ctx);
    const b = await explore.decode({ latent: [3, -3, 3, -3, 3, -3, 3, -3] }, ctx);
    expect(a).toMatchObject({ width: 16, height: 16 });
    expect(Buffer.from(a.rgb, 'base64')).toHaveLength(16 * 16 * 3);
    expect(a.rgb).not.toBe(b.rgb);
    expect((await explore.decode({ latent: [0, 0, 0, 0, 0, 0, 0, 0] }, ctx)).rgb).toBe(a.rgb);
  });

  it('refuses a latent of the wrong length, saying what the project expects', async () => {
    const { explore } = await setup(1);
    await expect(explore.decode({ latent: [1, 2, 3] }, ctx)).rejects.toMatchObject({
      code: 'invalid-input',
      message: "The latent has 3 values, but this project's latents have 8.",
    });
  });
});

describe('explore.sample', () => {
  it('gives the same images for the same seed and others for another seed', async () => {
    const { explore } = await setup(1);
    const a = await explore.sample({ count: 3, temperature: 1, seed: 7 }, ctx);
    const b = await explore.sample({ count: 3, temperature: 1, seed: 7 }, ctx);
    const c = await explore.sample({ count: 3, temperature: 1, seed: 8 }, ctx);
    expect(a.items).toHaveLength(3);
    expect(b).toEqual(a);
    expect(c.items[0].latent).not.toEqual(a.items[0].latent);
    expect(a.items[0].latent).toHaveLength(8);
    expect(await pngBytes(a.items[0].image)).toMatchObject({ format: 'png', width: 16, height: 16 });
    const cold = await explore.sample({ count: 1, temperature: 0.5, seed: 7 }, ctx);
    expect(cold.items[0].latent[0]).toBeCloseTo(a.items[0].latent[0] * 0.5, 5);
  });
});

describe('explore.encode', () => {
  it('encodes a dropped image: latent, prepared input, reconstruction and the nearest dataset images', async () => {
    const { explore } = await setup(12);
    const map = await explore.map({ jobId: 'm' }, ctx);
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 40, b: 90 } } }).jpeg().toBuffer();
    const result = await explore.encode({ image: `data:image/jpeg;base64,${photo.toString('base64')}` }, ctx);
    expect(result.latent).toHaveLength(8);
    expect(await pngBytes(result.input)).toMatchObject({ width: 16, height: 16 });
    expect(await pngBytes(result.reconstruction)).toMatchObject({ width: 16, height: 16 });
    expect(result.neighbours).toHaveLength(8);
    const distances = result.neighbours.map((n) => n.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // The nearest is truly the nearest among all points.
    const all = map.points.map((p) => Math.hypot(...p.latent.map((v, j) => v - result.latent[j])));
    expect(distances[0]).toBeCloseTo(Math.min(...all), 4);
  });

  it('encodes a dataset image to its map latent, leaving itself out of its neighbours', async () => {
    const { explore } = await setup(12);
    const map = await explore.map({ jobId: 'm' }, ctx);
    const point = map.points[3];
    const result = await explore.encode({ imageId: point.imageId }, ctx);
    result.latent.forEach((v, j) => expect(v).toBeCloseTo(point.latent[j], 4));
    expect(result.neighbours.map((n) => n.imageId)).not.toContain(point.imageId);
    await expect(explore.encode({ imageId: 999 }, ctx)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses a corrupt or non-image data URL with a clear message', async () => {
    const { explore } = await setup(1);
    const garbage = Buffer.from('this is not an image at all, just text').toString('base64');
    await expect(explore.encode({ image: `data:image/png;base64,${garbage}` }, ctx)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/^The dropped file cannot be used: .+\.$/),
    });
    const truncated = (await sharp({ create: { width: 64, height: 64, channels: 3, background: 'red' } }).png().toBuffer()).subarray(0, 60);
    await expect(explore.encode({ image: `data:image/png;base64,${truncated.toString('base64')}` }, ctx)).rejects.toThrow(
      /The dropped file cannot be used/,
    );
    await expect(explore.encode({ image: 'data:image/png,rawtext' }, ctx)).rejects.toThrow('not a base64 image data URL');
    await expect(explore.encode({ image: 'data:image/png;base64,@@@' }, ctx)).rejects.toThrow('not valid base64');
  });
});
