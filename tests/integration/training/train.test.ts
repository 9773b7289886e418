// Training end to end on generated images: the held-out loss falls, and an interrupted run — stopped cleanly
// or killed with SIGKILL — resumes from its checkpoint and ends exactly where an uninterrupted run ends.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../../../main/engine/operations/import-folder';
import { train, type TrainResult } from '../../../main/engine/operations/train';
import { openProject, type ProjectStore } from '../../../main/engine/store';
import { makeTempFolder, writeArtFolder } from '../files';
import { ensureBuilt, expectResult, runCli, startCli } from '../run-cli';

const SIZE = 16;
const settings = { kind: 'generate' as const, imageSize: SIZE, latentSize: 8, appVersion: 'test' };
const tmp = makeTempFolder('train');
const images = join(tmp.dir, 'images');

beforeAll(async () => {
  await ensureBuilt();
  await writeArtFolder(images, 96, SIZE, 11);
});
afterAll(() => tmp.remove());

async function project(name: string): Promise<ProjectStore> {
  const store = openProject(join(tmp.dir, name), { create: settings });
  await importFolder(store, images);
  return store;
}

function latestWeightsHash(path: string): { step: number; sha: string } {
  const store = openProject(path, { readonly: true });
  try {
    const cp = store.checkpoints.latest()!;
    return { step: cp.step, sha: createHash('sha256').update(cp.weights).digest('hex') };
  } finally {
    store.close();
  }
}

describe('training', () => {
  it('lowers the held-out loss over two epochs', async () => {
    const store = await project('falls.vaestudio');
    try {
      const result = await train(store, { epochs: 2, batch: 16, seed: 3, backend: 'wasm' });
      expect(result.stopped).toBe('completed');
      const val = store.metrics.list(result.runId, { split: 'val' });
      expect(val.map((p) => p.epoch)).toEqual([1, 2]);
      expect(val[1].total).toBeLessThan(val[0].total);
      expect(store.previews.list(result.runId).map((p) => p.kind).sort()).toEqual(['reconstruction', 'reconstruction', 'samples', 'samples']);
    } finally {
      store.close();
    }
  });

  it('--max-steps without --epochs trains that many steps, past the default epochs', async () => {
    const store = await project('steps.vaestudio');
    try {
      const stepsPerEpoch = Math.floor(store.images.counts().train / 16);
      const wanted = 30 * stepsPerEpoch + 7; // more than the default 30 epochs hold
      const result = await train(store, { batch: 16, seed: 4, maxSteps: wanted });
      expect(result.step).toBe(wanted);
      expect(store.runs.latest()!.config.epochs).toBe(Math.ceil(wanted / stepsPerEpoch));
    } finally {
      store.close();
    }
  });

  it('resumes a cleanly stopped run and ends bit-identical to an uninterrupted one', async () => {
    const whole = await project('whole.vaestudio');
    const split = await project('split.vaestudio');
    try {
      const opts = { epochs: 2, batch: 16, seed: 5, backend: 'wasm' as const, checkpointEvery: 4 };
      const uninterrupted = await train(whole, opts);
      const first = await train(split, { ...opts, maxSteps: 7 });
      expect(first.stopped).toBe('max-steps');
      const second = await train(split, opts);
      // The canary: the second session ran exactly the steps the first did not.
      expect(second.resumedFromStep).toBe(7);
      expect(second.stepsRun).toBe(uninterrupted.step - 7);
      expect(second.step).toBe(uninterrupted.step);
    } finally {
      whole.close();
      split.close();
    }
    const a = latestWeightsHash(join(tmp.dir, 'whole.vaestudio'));
    const b = latestWeightsHash(join(tmp.dir, 'split.vaestudio'));
    expect(b).toEqual(a);
  });

  it('refuses to resume with a changed learning rate, naming the flag', async () => {
    const store = await project('changed.vaestudio');
    try {
      await train(store, { epochs: 1, batch: 16, maxSteps: 2, backend: 'wasm' });
      await expect(train(store, { epochs: 1, lr: 0.01, backend: 'wasm' })).rejects.toThrow(/--lr 0\.001, not 0\.01.*--new-run/);
    } finally {
      store.close();
    }
  });

  it('falls back past a damaged newest checkpoint, says so, and resumes from the one before', async () => {
    const store = await project('damaged.vaestudio');
    try {
      await train(store, { epochs: 2, batch: 16, seed: 2, backend: 'wasm', checkpointEvery: 2, maxSteps: 6 });
      const [newest, previous] = store.checkpoints.list();
      store.db.prepare('UPDATE checkpoint_data SET weights = zeroblob(length(weights)) WHERE checkpoint_id = ?').run(newest.id);
      const notices: string[] = [];
      const resumed = await train(store, { epochs: 2, batch: 16, backend: 'wasm', maxSteps: 8 }, { onNotice: (line) => notices.push(line) });
      expect(resumed.resumedFromStep).toBe(previous.step);
      expect(notices.join('\n')).toMatch(new RegExp(`Checkpoint ${newest.id} \\(step ${newest.step}\\) is damaged.*resuming from an older checkpoint`));
      // Only the newest checkpoint keeps the optimizer's state; the one before goes on with a fresh optimizer.
      expect(previous.optimizerBytes).toBe(0);
      expect(notices.join('\n')).toContain(`The checkpoint at step ${previous.step} kept its weights only`);
      expect(resumed.step).toBe(8);
    } finally {
      store.close();
    }
  });

  it('survives SIGKILL mid-training: the file is intact and the run resumes from its last checkpoint', async () => {
    const store = await project('killed.vaestudio');
    const reference = await project('reference.vaestudio');
    const path = join(tmp.dir, 'killed.vaestudio');
    store.close();
    let totalSteps = 0;
    try {
      totalSteps = (await train(reference, { epochs: 10, batch: 16, seed: 9, backend: 'wasm', checkpointEvery: 3 })).step;
    } finally {
      reference.close();
    }

    const args = ['train', path, '--epochs', '10', '--batch', '16', '--seed', '9', '--backend', 'wasm', '--checkpoint-every', '3', '--json'];
    const run = startCli(args, { cwd: tmp.dir });
    const step = () => Math.max(0, ...run.progressSoFar().map((e) => Number(e.detail?.step ?? 0)));
    await run.waitFor(() => step() >= 8, 'training to pass step 8', 60_000);
    run.child.kill('SIGKILL');
    await run.done;

    const db = new Database(path, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const saved = latestWeightsHash(path).step;
    expect(saved).toBeGreaterThanOrEqual(6);
    expect(saved).toBeLessThan(totalSteps);

    const resumed = expectResult<TrainResult>(await runCli(args, { cwd: tmp.dir }));
    expect(resumed.resumedFromStep).toBe(saved);
    expect(latestWeightsHash(path)).toEqual(latestWeightsHash(join(tmp.dir, 'reference.vaestudio')));
  });
});
