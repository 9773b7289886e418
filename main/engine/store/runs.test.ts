import { describe, expect, it } from 'vitest';
import type { MetricPoint } from './metrics';
import { createTestProject, testRunConfig } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';

const tempFolder = useTempFolder();

const point = (runId: number, step: number, extra: Partial<MetricPoint> = {}): MetricPoint => ({
  runId,
  split: 'train',
  step,
  epoch: 0,
  recon: 100 - step,
  kl: 5,
  total: 105 - step,
  bitsPerDim: 1.5,
  wallTimeMs: 1_700_000_000_000 + step,
  ...extra,
});

describe('runs', () => {
  it('creates runs with their config and tracks status', () => {
    const store = createTestProject(tempFolder());
    const config = testRunConfig({ warmupSteps: 2, seed: 42 });
    const run = store.runs.create(config);
    expect(run).toMatchObject({ config, status: 'created', error: null });
    store.runs.setStatus(run.id, 'failed', 'out of memory');
    expect(store.runs.get(run.id)).toMatchObject({ status: 'failed', error: 'out of memory' });
    const second = store.runs.create(testRunConfig({ epochs: 1 }), 'running');
    expect(store.runs.latest()?.id).toBe(second.id);
    expect(store.runs.list().map((r) => r.id)).toEqual([second.id, run.id]);
    expect(() => store.runs.setStatus(999, 'running')).toThrow('There is no run 999');
    store.runs.updateConfig(run.id, { ...config, epochs: 20 });
    expect(store.runs.get(run.id)?.config).toEqual({ ...config, epochs: 20 });
    expect(() => store.runs.updateConfig(999, config)).toThrow('There is no run 999');
    expect(() => store.runs.setStatus(run.id, 'exploded' as never)).toThrow(/CHECK/);
    expect(() => store.runs.create({ ...config, batch: 0 })).toThrow(/batch/);
    store.close();
  });

  it('deletes a run with everything that belongs to it', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    store.metrics.add([point(run.id, 1)]);
    store.checkpoints.save({ runId: run.id, step: 1, epoch: 0, rngState: null, losses: {}, weights: new Uint8Array(4), optimizer: new Uint8Array(4) });
    store.runs.remove(run.id);
    expect(store.runs.get(run.id)).toBeUndefined();
    expect(store.metrics.list(run.id)).toEqual([]);
    expect(store.checkpoints.list()).toEqual([]);
    store.close();
  });
});

describe('metrics', () => {
  it('bulk-inserts points and reads them back by split and step range', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    const points = Array.from({ length: 1000 }, (_, step) => point(run.id, step));
    store.metrics.add([...points, point(run.id, 999, { split: 'val', recon: 3 })]);
    expect(store.metrics.list(run.id, { split: 'train' })).toEqual(points);
    expect(store.metrics.list(run.id, { split: 'val' })).toEqual([point(run.id, 999, { split: 'val', recon: 3 })]);
    expect(store.metrics.list(run.id, { split: 'train', fromStep: 10, toStep: 12 }).map((p) => p.step)).toEqual([10, 11, 12]);
    store.close();
  });

  it('replaces a step logged again and drops steps after a resume point', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    store.metrics.add([point(run.id, 1), point(run.id, 2), point(run.id, 3)]);
    expect(store.metrics.discardAfter(run.id, 1)).toBe(2);
    store.metrics.add([point(run.id, 1, { recon: 42 })]);
    expect(store.metrics.list(run.id).map((p) => [p.step, p.recon])).toEqual([[1, 42]]);
    store.close();
  });

  it('keeps a diverged (NaN) loss as NaN and rolls back a batch that fails', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    store.metrics.add([point(run.id, 1, { total: Number.NaN, kl: Number.POSITIVE_INFINITY })]);
    expect(store.metrics.list(run.id)[0]).toMatchObject({ total: Number.NaN, kl: Number.POSITIVE_INFINITY });
    expect(() => store.metrics.add([point(run.id, 2), point(run.id, -1)])).toThrow(/CHECK/);
    expect(store.metrics.list(run.id).map((p) => p.step)).toEqual([1]);
    store.close();
  });
});
