import { describe, expect, it } from 'vitest';
import { createTestProject, testRunConfig } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';

const tempFolder = useTempFolder();
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function projectWithCheckpoint() {
  const store = createTestProject(tempFolder());
  const run = store.runs.create(testRunConfig());
  const save = (step: number) =>
    store.checkpoints.save(
      { runId: run.id, step, epoch: 0, rngState: null, losses: {}, weights: new Uint8Array(4), optimizer: new Uint8Array(4) },
      { keep: 1 },
    );
  return { store, save };
}

describe('gallery repository', () => {
  it('stores latents exactly as float32 with provenance, newest first, and removes items', () => {
    const { store, save } = projectWithCheckpoint();
    const checkpoint = save(100);
    const latent = [0.1, -2.5, 3.25, 1e-8];
    const first = store.gallery.add({
      checkpointId: checkpoint.id, checkpointStep: 100, operation: 'sample', latent, seed: 7, temperature: 0.8, note: 'hi', png: PNG,
    });
    expect(first).toMatchObject({ checkpointId: checkpoint.id, checkpointExists: true, operation: 'sample', seed: 7, note: 'hi' });
    expect([...first.latent]).toEqual([...Float32Array.from(latent)]);
    const second = store.gallery.add({
      checkpointId: checkpoint.id, checkpointStep: 100, operation: 'map', latent, seed: null, temperature: null, note: '', png: PNG,
    });
    expect(store.gallery.list().map((item) => item.id)).toEqual([second.id, first.id]);
    expect(Buffer.from(store.gallery.png(first.id)!).equals(PNG)).toBe(true);
    expect(store.gallery.remove(first.id)).toBe(true);
    expect(store.gallery.remove(first.id)).toBe(false);
    expect(store.gallery.list()).toHaveLength(1);
    expect(() => store.gallery.add({ ...second, checkpointStep: 1, png: new Uint8Array(12) })).toThrow('must be a PNG');
    store.close();
  });

  it('keeps the checkpoint an item was made with when older checkpoints are pruned', () => {
    const { store, save } = projectWithCheckpoint();
    const old = save(100);
    const other = save(150); // keep: 1 prunes 100... unless an image was made with it
    expect(store.checkpoints.info(old.id)).toBeUndefined();
    store.gallery.add({
      checkpointId: other.id, checkpointStep: 150, operation: 'map', latent: [1, 2], seed: null, temperature: null, note: '', png: PNG,
    });
    save(200);
    save(300);
    expect(store.checkpoints.info(other.id), 'the gallery image can still be regenerated').toBeDefined();
    expect(store.checkpoints.list().map((c) => c.step)).toEqual([300, 150]);
    store.close();
  });

  it('keeps an item when its checkpoint is deleted, and says the checkpoint is gone', () => {
    const { store, save } = projectWithCheckpoint();
    const old = save(100);
    const item = store.gallery.add({
      checkpointId: old.id, checkpointStep: 100, operation: 'slider', latent: [1, 2], seed: null, temperature: null, note: '', png: PNG,
    });
    save(200);
    store.checkpoints.remove(old.id);
    expect(store.gallery.get(item.id)).toMatchObject({ checkpointId: old.id, checkpointStep: 100, checkpointExists: false });
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });
});
