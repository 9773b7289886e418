// A full disk while saving a checkpoint: simulated with PRAGMA max_page_count, which makes SQLite fail with
// SQLITE_FULL exactly as a full disk does. The user must be told the disk is full, and the previous checkpoint
// must survive even though the failed save had already pruned it inside its transaction.
import { describe, expect, it } from 'vitest';
import { ProjectError } from './errors';
import { openProject } from './open';
import { bytesFrom, createTestProject, okImage, testRunConfig } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';

const tempFolder = useTempFolder();
const MB = 1024 * 1024;

describe('disk full while saving a checkpoint', () => {
  it('says the disk is full, rolls back, and keeps the previous checkpoint loadable', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig({ epochs: 1 }));
    const base = { runId: run.id, epoch: 0, rngState: { seed: 1 }, losses: { total: 1 } };
    const previous = store.checkpoints.save(
      { ...base, step: 100, weights: bytesFrom('weights 100', MB), optimizer: bytesFrom('optimizer 100', MB / 4) },
      { keep: 1 },
    );
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 64}`);

    let error: unknown;
    try {
      // keep: 1 deletes `previous` first inside the transaction; the 2 MB write then runs out of room.
      store.checkpoints.save(
        { ...base, step: 200, weights: bytesFrom('weights 200', 2 * MB), optimizer: bytesFrom('optimizer 200', MB / 4) },
        { keep: 1 },
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).code).toBe('disk-full');
    expect((error as ProjectError).message).toBe(
      `The disk is full: could not save the checkpoint in ${store.path}. Nothing was changed; free some space and try again.`,
    );
    expect(store.db.inTransaction).toBe(false);

    const survivor = store.checkpoints.latest(run.id)!;
    expect(survivor.id).toBe(previous.id);
    expect(Buffer.from(survivor.weights).equals(bytesFrom('weights 100', MB))).toBe(true);
    expect(store.checkpoints.list()).toHaveLength(1);
    expect(store.integrityCheck()).toBe('ok');

    // Once there is room again, saving works and the store is usable as before.
    store.db.pragma('max_page_count = 1073741823');
    store.checkpoints.save({ ...base, step: 200, weights: bytesFrom('w', 2 * MB), optimizer: new Uint8Array(8) }, { keep: 1 });
    store.close();

    const reopened = openProject(store.path);
    expect(reopened.checkpoints.latest(run.id)?.step).toBe(200);
    expect(reopened.checkpoints.list()).toHaveLength(1);
    expect(reopened.integrityCheck()).toBe('ok');
    reopened.close();
  });

  it('says the disk is full for other writes too, and leaves the index as it was', () => {
    const store = createTestProject(tempFolder());
    store.images.upsert(okImage('first.png'));
    store.db.pragma(`max_page_count = ${(store.db.pragma('page_count', { simple: true }) as number) + 8}`);
    const many = Array.from({ length: 200 }, (_, i) => okImage(`more-${i}.png`));
    expect(() => store.images.upsertMany(many)).toThrow(
      `The disk is full: could not save the image index in ${store.path}. Nothing was changed`,
    );
    expect(store.images.list().map((image) => image.path)).toEqual(['first.png']);
    store.close();
  });
});
