// A disk that fills during training: the run stops with a clear message, the project file stays intact, the
// last checkpoint still loads, and once space is freed the run resumes from it. Uses a real, tiny tmpfs, which
// needs root to mount; elsewhere the test says so and is skipped.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectInfo } from '../../../main/engine/operations/info';
import type { TrainResult } from '../../../main/engine/operations/train';
import { makeTempFolder, writeArtFolder } from '../files';
import { ensureBuilt, expectError, expectResult, runCli } from '../run-cli';

const tmp = makeTempFolder('disk-full');
const mountPoint = join(tmp.dir, 'small-disk');

function tryMount(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to mount a small tmpfs';
  try {
    mkdirSync(mountPoint);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`;
  }
}

const whyNot = tryMount();
if (whyNot) console.log(`[disk-full] not testable here: ${whyNot}`);

beforeAll(async () => {
  await ensureBuilt();
});
afterAll(() => {
  if (!whyNot) execFileSync('umount', [mountPoint]);
  tmp.remove();
});

describe.skipIf(whyNot !== null)('a disk that fills during training', () => {
  it('stops with a clear message, keeps the last checkpoint usable, and resumes once there is space', async () => {
    const images = join(tmp.dir, 'images');
    await writeArtFolder(images, 120, 16);
    const project = join(mountPoint, 'p.vaestudio');
    expectResult(await runCli(['new', project, '--size', '16', '--latent', '8', '--json']));
    expectResult(await runCli(['import', project, images, '--json']));

    const train = ['train', project, '--epochs', '200', '--batch', '16', '--checkpoint-every', '2', '--json'];
    const message = expectError(await runCli(train));
    expect(message).toMatch(/disk is full/i);
    expect(message).toContain(project);

    const db = new Database(project, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const info = expectResult<ProjectInfo>(await runCli(['info', project, '--json']));
    const lastSaved = info.runs[0].checkpoints[0];
    expect(lastSaved.step).toBeGreaterThan(0);
    expectResult(await runCli(['sample', project, '--out', join(tmp.dir, 'after-full.png'), '--json']));

    execFileSync('mount', ['-o', 'remount,size=64m', mountPoint]);
    const resumed = expectResult<TrainResult>(await runCli([...train.slice(0, 2), '--epochs', '2', ...train.slice(4)]));
    expect(resumed.resumedFromStep).toBe(lastSaved.step);
    expect(resumed.step).toBeGreaterThanOrEqual(lastSaved.step);
  });
});
