import { describe, expect, it } from 'vitest';
import type { CheckpointInput } from './checkpoints';
import { ProjectError } from './errors';
import { openProject } from './open';
import { bytesFrom, createTestProject, testRunConfig } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';

const tempFolder = useTempFolder();

const checkpointAt = (runId: number, step: number, extra: Partial<CheckpointInput> = {}): CheckpointInput => ({
  runId,
  step,
  epoch: Math.floor(step / 100),
  rngState: { seed: 7, counter: step },
  losses: { total: 1 / (step + 1), recon: 0.5, kl: 0.25 },
  weights: bytesFrom(`weights ${step}`, 4096),
  optimizer: bytesFrom(`optimizer ${step}`, 8192),
  ...extra,
});

describe('checkpoints', () => {
  it('saves and loads weights, optimizer state, step, epoch, RNG state and losses', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig({ epochs: 3 }));
    const input = checkpointAt(run.id, 150);
    const saved = store.checkpoints.save(input);
    expect(saved).toMatchObject({ runId: run.id, step: 150, epoch: 1, pinned: false, weightsBytes: 4096, optimizerBytes: 8192 });
    store.close();

    const reopened = openProject(store.path);
    const loaded = reopened.checkpoints.get(saved.id)!;
    expect(loaded.rngState).toEqual({ seed: 7, counter: 150 });
    expect(loaded.losses).toEqual(input.losses);
    expect(Buffer.from(loaded.weights).equals(input.weights)).toBe(true);
    expect(Buffer.from(loaded.optimizer).equals(input.optimizer)).toBe(true);
    expect(reopened.checkpoints.get(9999)).toBeUndefined();
    reopened.close();
  });

  it('finds the latest checkpoint of a run or of the project, newest first in lists', () => {
    const store = createTestProject(tempFolder());
    const a = store.runs.create(testRunConfig());
    const b = store.runs.create(testRunConfig());
    store.checkpoints.save(checkpointAt(a.id, 10));
    store.checkpoints.save(checkpointAt(b.id, 5));
    store.checkpoints.save(checkpointAt(a.id, 20));
    expect(store.checkpoints.latest(a.id)?.step).toBe(20);
    expect(store.checkpoints.latest(b.id)?.step).toBe(5);
    expect(store.checkpoints.latest()?.step).toBe(20);
    expect(store.checkpoints.list().map((c) => c.step)).toEqual([20, 5, 10]);
    expect(store.checkpoints.list(a.id).map((c) => c.step)).toEqual([20, 10]);
    expect(store.checkpoints.latest(999)).toBeUndefined();
    store.close();
  });

  it('keeps the newest `keep` unpinned checkpoints of the run, in the same transaction', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    const other = store.runs.create(testRunConfig());
    store.checkpoints.save(checkpointAt(other.id, 1));
    for (const step of [10, 20, 30, 40, 50]) store.checkpoints.save(checkpointAt(run.id, step), { keep: 2 });
    expect(store.checkpoints.list(run.id).map((c) => c.step)).toEqual([50, 40]);
    expect(store.checkpoints.list(other.id)).toHaveLength(1); // other runs are not pruned
    expect(store.db.prepare('SELECT count(*) FROM checkpoint_data').pluck().get()).toBe(3); // blobs went too
    expect(() => store.checkpoints.save(checkpointAt(run.id, 60), { keep: 0 })).toThrow(ProjectError);
    store.close();
  });

  it('never prunes pinned checkpoints and does not count them in `keep`', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    const best = store.checkpoints.save(checkpointAt(run.id, 10));
    store.checkpoints.pin(best.id);
    const pinnedOnSave = store.checkpoints.save(checkpointAt(run.id, 20, { pinned: true }), { keep: 1 });
    for (const step of [30, 40, 50]) store.checkpoints.save(checkpointAt(run.id, step), { keep: 1 });
    expect(store.checkpoints.list(run.id).map((c) => [c.step, c.pinned])).toEqual([
      [50, false],
      [20, true],
      [10, true],
    ]);
    store.checkpoints.pin(best.id, false);
    store.checkpoints.save(checkpointAt(run.id, 60), { keep: 1 });
    expect(store.checkpoints.list(run.id).map((c) => c.step)).toEqual([60, 20]);
    expect(store.checkpoints.info(pinnedOnSave.id)?.pinned).toBe(true);
    expect(() => store.checkpoints.pin(12345)).toThrow('There is no checkpoint 12345');
    store.close();
  });

  it('keeps a history worth restoring: the newest, the best validation loss and milestones spread over the run', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    // 100 checkpoints, every 10 steps; validation loss falls, then overfits after step 400 (best at 400).
    const retention = { keep: 3, keepBest: true, milestones: 6 };
    for (let step = 10; step <= 1000; step += 10) {
      const valTotal = step <= 400 ? 1000 - step : 600 + (step - 400) / 10;
      store.checkpoints.save(checkpointAt(run.id, step, { losses: { valTotal } }), retention);
    }
    const steps = store.checkpoints.list(run.id).map((c) => c.step);
    expect(steps.slice(0, 3), 'the newest three').toEqual([1000, 990, 980]);
    expect(steps, 'the best validation loss').toContain(400);
    expect(steps.length, 'a bounded total').toBeLessThanOrEqual(3 + 1 + 6);
    // Milestones: spread from the start of the run to the newest, so early stages survive.
    const older = steps.filter((s) => s < 980 && s !== 400).sort((a, b) => a - b);
    expect(older.length).toBeGreaterThanOrEqual(3);
    expect(older.length).toBeLessThanOrEqual(6);
    const marks = [0, ...older, 980];
    const gaps = marks.slice(1).map((s, i) => s - marks[i]);
    expect(Math.max(...gaps), `gaps between ${marks.join(', ')}`).toBeLessThanOrEqual(1000 / 3);
    expect(store.db.prepare('SELECT count(*) FROM checkpoint_data').pluck().get()).toBe(steps.length);
    store.close();
  });

  it('keeps the optimizer state only where resuming needs it, so a run\'s history takes far less room', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    const big = (step: number) => checkpointAt(run.id, step, { weights: bytesFrom(`w ${step}`, 1 << 20), optimizer: bytesFrom(`o ${step}`, 2 << 20) });
    const pinned = store.checkpoints.save(big(5), { keep: 3, optimizerKept: 1 });
    store.checkpoints.pin(pinned.id);
    for (const step of [10, 20, 30, 40]) store.checkpoints.save(big(step), { keep: 3, optimizerKept: 1 });
    const pages = () => store.db.pragma('page_count', { simple: true }) as number;
    const before = pages();
    for (const step of [50, 60, 70, 80]) store.checkpoints.save(big(step), { keep: 3, optimizerKept: 1 });
    // Three checkpoints of 1 MB weights each, only one with its 2 MB optimizer state: the file does not grow.
    expect(pages()).toBeLessThanOrEqual(before);
    const list = store.checkpoints.list(run.id);
    expect(list.map((c) => [c.step, c.optimizerBytes])).toEqual([[80, 2 << 20], [70, 0], [60, 0], [5, 2 << 20]]);
    // A weights-only checkpoint is intact, not damaged: its weights load as saved.
    const older = store.checkpoints.get(list[1].id)!;
    expect(Buffer.from(older.weights).equals(big(70).weights)).toBe(true);
    expect(older.optimizer.byteLength).toBe(0);
    expect(() => store.checkpoints.save(big(90), { optimizerKept: 0 })).toThrow('optimizerKept must be a whole number of at least 1');
    store.close();
  });

  it('detects a damaged checkpoint and falls back to the one before', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    store.checkpoints.save(checkpointAt(run.id, 10));
    const newest = store.checkpoints.save(checkpointAt(run.id, 20));
    store.db.prepare('UPDATE checkpoint_data SET weights = zeroblob(4096) WHERE checkpoint_id = ?').run(newest.id);
    expect(() => store.checkpoints.get(newest.id)).toThrow(`Checkpoint ${newest.id} (step 20) is damaged: its weights do not match their checksum`);
    const damaged: string[] = [];
    expect(store.checkpoints.latest(run.id, (error) => damaged.push(error.message))?.step).toBe(10);
    expect(damaged).toHaveLength(1);
    store.close();
  });
});
