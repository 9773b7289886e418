// The Explore screen's state on a fake host: the map and the first decode, a project without a checkpoint,
// "surprise me" and saving with the seed that made the image, and a checkpoint change making the map stale.
import { describe, expect, it } from 'vitest';
import type { LatentMap } from '../../../shared/services/explore';
import { fakeHost, refuse } from '../test-support/fake-host';
import { ExploreModel } from './explore.svelte';

const MAP: LatentMap = {
  checkpointId: 1,
  latentSize: 2,
  mean: [1, 1],
  components: [
    [1, 0],
    [0, 1],
  ],
  scales: [2, 3],
  points: [],
};
const IMAGE = { width: 1, height: 1, rgb: 'AAAA' };
const DATA_URL = 'data:image/png;base64,AAAA';

function setup() {
  const host = fakeHost({
    'explore.map': () => MAP,
    'explore.decode': () => IMAGE,
    'explore.sample': () => ({ items: [{ latent: [3, 1], image: DATA_URL }] }),
    'gallery.save': ({ latent }: { latent: number[] }) => ({
      id: 7,
      createdAt: '2026-01-01T00:00:00.000Z',
      checkpointId: 1,
      checkpointStep: 40,
      checkpointSavedAt: '2026-01-01T00:00:00.000Z',
      operation: 'sample',
      latent,
      seed: 5,
      temperature: 0.5,
      note: '',
      image: 'gallery/7',
    }),
  });
  const explore = new ExploreModel(host, { screen: 'start' });
  explore.listen();
  return { host, explore };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('explore state', () => {
  it('loads the map once, centres the sliders and decodes the mean', async () => {
    const { host, explore } = setup();
    await explore.loadMap();
    await settle();
    expect(explore.coords).toEqual([0, 0]);
    expect(explore.latent).toEqual([1, 1]);
    expect(host.inputsOf('explore.decode')).toEqual([{ latent: [1, 1] }]);
    expect(explore.image).toEqual(IMAGE);
    await explore.loadMap();
    expect(host.inputsOf('explore.map')).toHaveLength(1); // fresh: not asked again
    host.emit('checkpoints', 'changed', {});
    await explore.loadMap();
    expect(host.inputsOf('explore.map')).toHaveLength(2);
  });

  it('says why there is no map instead of reporting an error', async () => {
    const { host, explore } = setup();
    host.answer({ 'explore.map': refuse('not-found', 'Train the model first: there is no checkpoint yet.') });
    await explore.loadMap();
    expect(explore.unavailable).toBe('Train the model first: there is no checkpoint yet.');
    expect(host.errors.items).toEqual([]);
    expect(explore.mapJobId).toBeNull();
  });

  it('surprise me samples with the seed, moves on to the next seed, and saves with what made the image', async () => {
    const { host, explore } = setup();
    await explore.loadMap();
    explore.seed = 5;
    explore.temperature = 0.5;
    await explore.surprise();
    expect(host.inputsOf('explore.sample')).toEqual([{ count: 1, temperature: 0.5, seed: 5 }]);
    expect(explore).toMatchObject({ operation: 'sample', usedSeed: 5, seed: 6, latent: [3, 1] });
    expect(explore.coords).toEqual([1, 0]); // (3 − 1) / scale 2 along the first direction
    await explore.save();
    expect(host.inputsOf('gallery.save')).toEqual([{ latent: [3, 1], operation: 'sample', seed: 5, temperature: 0.5 }]);
    expect(explore.savedMessage).toBe('Saved to the gallery (item 7).');
  });
});
