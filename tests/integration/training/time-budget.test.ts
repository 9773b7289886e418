// A training session with a time budget (--time quick|good|best, --minutes N) stops by itself when the time is
// spent, as a normal end does: a checkpoint saved with its fitted prior, the run left open to continue, and the
// reason reported. Progress counts the budget down, and a resumed session gets a fresh budget. The engine runs on a
// clock the test moves forward, so a one-minute budget takes a moment; the CLI run waits a real second or two.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../shared/progress';
import { unpackTensors } from '../../../main/engine/ml/params';
import { importFolder } from '../../../main/engine/operations/import-folder';
import { train } from '../../../main/engine/operations/train';
import { openProject, type ProjectStore } from '../../../main/engine/store';
import { DENOISE_CROPS_PER_PHOTO } from '../../../main/engine/store/settings';
import { writeFile, mkdir } from 'node:fs/promises';
import { artJpeg, makeTempFolder, writeArtFolder } from '../files';
import { ensureBuilt, expectResult, runCli } from '../run-cli';

const SIZE = 16;
const settings = { kind: 'generate' as const, imageSize: SIZE, latentSize: 8, appVersion: 'test' };
const tmp = makeTempFolder('time-budget');
const images = join(tmp.dir, 'images');
const fast = { batch: 16, seed: 5, threads: 1, backend: 'wasm' as const };

beforeAll(async () => {
  await ensureBuilt();
  await writeArtFolder(images, 60, SIZE, 71);
});
afterAll(() => tmp.remove());

async function project(name: string): Promise<ProjectStore> {
  const store = openProject(join(tmp.dir, name), { create: settings });
  await importFolder(store, images);
  return store;
}

/** A clock that moves `msPerRead` forward each time it is read: time passes only as training looks at it. */
function steppingClock(msPerRead: number): () => number {
  let t = 0;
  return () => (t += msPerRead);
}

const priorTensors = (store: ProjectStore) =>
  unpackTensors(store.checkpoints.latest()!.weights)
    .map((e) => e.name)
    .filter((n) => n.startsWith('prior/'));

describe('a time-budgeted training session', () => {
  it('stops by itself when the minutes are spent, with a checkpoint, a fitted prior and the reason', async () => {
    const store = await project('minutes.vaestudio');
    try {
      const progress: ProgressEvent[] = [];
      const result = await train(store, { ...fast, minutes: 1 }, { now: steppingClock(1000), onProgress: (e) => progress.push(e) });

      expect(result.stopped).toBe('time');
      expect(result.budgetSeconds).toBe(60);
      // About one read of the clock per step and one per progress report: about 30 of the 60 "seconds" per step.
      expect(result.stepsRun).toBeGreaterThan(10);
      expect(result.stepsRun).toBeLessThan(60);
      const checkpoint = store.checkpoints.latest()!;
      expect(checkpoint.step).toBe(result.step);
      expect(priorTensors(store)).toEqual(['prior/weights', 'prior/means', 'prior/cholLower']);
      expect(store.runs.latest()!.status, 'the run stays open to continue').toBe('paused');

      // The time left counts down from the budget from the first report, not only once steps have been timed.
      const etas = progress.map((e) => e.etaSeconds);
      expect(etas[0]).not.toBeNull();
      expect(etas[0]!).toBeLessThanOrEqual(60);
      expect(etas.at(-1)!).toBeLessThan(etas[0]!);
      for (let i = 1; i < etas.length; i++) expect(etas[i]!).toBeLessThanOrEqual(etas[i - 1]!);
      expect(progress.at(-1)!.fraction!).toBeGreaterThan(0.9);

      // Resuming gets a whole new budget: it trains about as long again, from where the first session stopped.
      const again = await train(store, { ...fast, time: 'quick' }, { now: steppingClock(10_000) });
      expect(again.stopped).toBe('time');
      expect(again.budgetSeconds).toBe(5 * 60);
      expect(again.resumedFromStep).toBe(result.step);
      expect(again.stepsRun).toBeGreaterThan(5);
      expect(store.checkpoints.latest()!.step).toBe(again.step);
    } finally {
      store.close();
    }
  });

  it('still ends at the run\'s epochs when they come first, and "best" has no budget', async () => {
    const store = await project('epochs-first.vaestudio');
    try {
      const short = await train(store, { ...fast, epochs: 2, time: 'good' }, { now: steppingClock(1) });
      expect(short.stopped).toBe('completed');
      expect(short.epoch).toBe(2);
      const best = await train(store, { ...fast, epochs: 3, time: 'best' }, { now: steppingClock(60_000) });
      expect(best.budgetSeconds).toBeNull();
      expect(best.stopped).toBe('completed');
      expect(best.epoch).toBe(3);
    } finally {
      store.close();
    }
  });

  it("a denoiser's session that runs out of time is scored on held-out crops as an epoch's end is, and no checkpoint carries another's score", async () => {
    const photos = join(tmp.dir, 'photos');
    await mkdir(photos);
    for (let i = 0; i < 6; i++) await writeFile(join(photos, `p${i}.jpg`), await artJpeg(300 + i, 80, 60));
    const store = openProject(join(tmp.dir, 'denoise.vaestudio'), { create: { kind: 'denoise', imageSize: 32, latentSize: 4, appVersion: 'test' } });
    try {
      await importFolder(store, photos);
      const result = await train(store, { batch: 8, threads: 1, backend: 'wasm', checkpointEvery: 3, minutes: 1 }, { now: steppingClock(1000) });
      expect(result.stopped).toBe('time');
      const examples = store.images.counts().train * DENOISE_CROPS_PER_PHOTO;
      const stepsPerEpoch = Math.floor(examples / Math.min(8, examples));
      const checkpoints = store.checkpoints.list();
      const last = checkpoints.find((c) => c.step === result.step)!;
      expect(result.step % stepsPerEpoch, 'the time ran out within an epoch').not.toBe(0);
      expect(Number.isFinite(last.losses.valPsnr), 'the last checkpoint is scored, so denoise can choose it').toBe(true);
      const between = checkpoints.filter((c) => c.step % stepsPerEpoch !== 0 && c.step !== result.step);
      expect(between.length, 'checkpoints between epoch ends were kept').toBeGreaterThan(0);
      for (const c of between) expect(c.losses.valPsnr, `checkpoint at step ${c.step} holds weights nobody scored`).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('refuses --time with --minutes, and a preset it does not know, naming the flag', async () => {
    const store = await project('refused.vaestudio');
    try {
      await expect(train(store, { ...fast, time: 'quick', minutes: 3 })).rejects.toThrow('--time quick and --minutes 3 both say how long to train; give one of them');
      await expect(train(store, { ...fast, time: 'fast' as never })).rejects.toThrow('--time must be quick, good or best, got "fast"');
      await expect(train(store, { ...fast, minutes: 0 })).rejects.toThrow('--minutes must be more than 0, got 0');
      expect(store.runs.latest(), 'nothing was started').toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('from the command line: --minutes stops the run, says why, and leaves a checkpoint to continue from', async () => {
    const path = join(tmp.dir, 'cli.vaestudio');
    const created = await runCli(['new', path, '--size', String(SIZE), '--latent', '8', '--json']);
    expectResult(created);
    expectResult(await runCli(['import', path, images, '--json']));
    const run = await runCli(['train', path, '--minutes', '0.03', '--batch', '16', '--threads', '1', '--backend', 'wasm', '--json']);
    const result = expectResult(run) as { stopped: string; step: number; budgetSeconds: number; checkpointId: number };
    expect(result.stopped).toBe('time');
    expect(result.budgetSeconds).toBeCloseTo(1.8);
    expect(result.step).toBeGreaterThan(0);
    const human = await runCli(['train', path, '--minutes', '0.03', '--batch', '16', '--threads', '1', '--backend', 'wasm']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Stopped after the 2s time budget; the checkpoint is saved — run again to train further: run 1, step \d+/);
    const store = openProject(path, { readonly: true });
    try {
      expect(priorTensors(store)).toHaveLength(3);
      expect(store.checkpoints.latest()!.step).toBeGreaterThan(result.step);
    } finally {
      store.close();
    }
  });
});
