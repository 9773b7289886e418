// Ctrl-C during training: the run stops after the current step, saves its checkpoint, exits 0 and says so; the
// same command then resumes from that step and finishes. Exercised with --json and with the human output.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImportReport } from '../../../main/engine/operations/import-folder';
import type { ProjectInfo } from '../../../main/engine/operations/info';
import type { TrainResult } from '../../../main/engine/operations/train';
import { makeTempFolder, writeArtFolder } from '../files';
import { describeRun, ensureBuilt, expectResult, runCli, startCli } from '../run-cli';

const SIZE = 16;
const EPOCHS = 30;
const BATCH = 4;

const tmp = makeTempFolder('interrupt');
const project = join(tmp.dir, 'p.vaestudio');
let trainImages = 0;

beforeAll(async () => {
  await ensureBuilt();
  await writeArtFolder(join(tmp.dir, 'pictures'), 24, SIZE);
  expectResult(await runCli(['new', project, '--size', String(SIZE), '--latent', '8', '--json']));
  const imported = expectResult<ImportReport>(await runCli(['import', project, join(tmp.dir, 'pictures'), '--json']));
  trainImages = imported.counts.train;
});
afterAll(() => tmp.remove());

const trainArgs = () => ['train', project, '--epochs', String(EPOCHS), '--batch', String(BATCH)];

it('Ctrl-C stops training with the checkpoint saved; running train again resumes and completes', async () => {
  const totalSteps = EPOCHS * Math.floor(trainImages / BATCH);

  // 1. --json: Ctrl-C after a few progress events.
  const first = startCli([...trainArgs(), '--json']);
  await first.waitFor((p) => p.progressSoFar().length >= 3, 'three progress events');
  first.child.kill('SIGINT');
  const stoppedJson = await first.done;
  const r1 = expectResult<TrainResult>(stoppedJson);
  expect(r1.stopped).toBe('interrupted');
  expect(r1.resumedFromStep).toBe(0);
  expect(r1.step).toBeGreaterThan(0);
  expect(r1.step, 'stopped well before the end').toBeLessThan(totalSteps);
  expect(r1.checkpointId).toEqual(expect.any(Number));

  let info = expectResult<ProjectInfo>(await runCli(['info', project, '--json']));
  expect(info.runs).toHaveLength(1);
  expect(info.runs[0]).toMatchObject({ status: 'paused', latestStep: r1.step });
  expect(info.runs[0].checkpoints.find((c) => c.id === r1.checkpointId)?.step).toBe(r1.step);

  // 2. Human output: Ctrl-C after the first progress line; it resumes, then says it stopped and saved.
  const second = startCli(trainArgs());
  await second.waitFor((p) => /step \d+\/\d+/.test(p.stderr), 'a progress line on stderr');
  second.child.kill('SIGINT');
  const stoppedHuman = await second.done;
  const where = describeRun(stoppedHuman);
  expect(stoppedHuman.code, where).toBe(0);
  expect(stoppedHuman.stderr, where).toMatch(/Ctrl-C/);
  expect(stoppedHuman.stdout, where).toMatch(/stopped/i);
  expect(stoppedHuman.stdout, where).toMatch(/checkpoint (is )?saved/i);
  expect(stoppedHuman.stdout, where).toMatch(/resume/i);
  const humanStep = Number(/step (\d+)/.exec(stoppedHuman.stdout)?.[1]);
  expect(humanStep, where).toBeGreaterThanOrEqual(r1.step);
  expect(humanStep, where).toBeLessThan(totalSteps);

  info = expectResult<ProjectInfo>(await runCli(['info', project, '--json']));
  expect(info.runs).toHaveLength(1);
  expect(info.runs[0]).toMatchObject({ status: 'paused', latestStep: humanStep });

  // 3. The same command again: resumes from the saved step and completes the run.
  const done = expectResult<TrainResult>(await runCli([...trainArgs(), '--json']));
  expect(done).toMatchObject({ runId: r1.runId, stopped: 'completed', resumedFromStep: humanStep, step: totalSteps, epoch: EPOCHS });
  expect(done.resumedFromStep).toBeGreaterThan(0);
  expect(done.stepsRun).toBe(totalSteps - humanStep);

  info = expectResult<ProjectInfo>(await runCli(['info', project, '--json']));
  expect(info.runs).toHaveLength(1);
  expect(info.runs[0]).toMatchObject({ status: 'completed', latestStep: totalSteps });
});
