// Re-importing a folder after the user changed it: new files are added, edited ones re-read, deleted ones
// dropped, and untouched ones left alone — each counted in the result.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ImportReport } from '../../../main/engine/operations/import-folder';
import type { ProjectInfo } from '../../../main/engine/operations/info';
import { artPng, makeTempFolder, truncatedPng, writeArtFolder } from '../files';
import { ensureBuilt, expectResult, runCli } from '../run-cli';

const SIZE = 16;

const tmp = makeTempFolder('reimport');
const project = join(tmp.dir, 'p.vaestudio');
const folder = join(tmp.dir, 'pictures');

beforeAll(ensureBuilt);
afterAll(() => tmp.remove());

it('re-import picks up added, changed and removed files, and counts them', async () => {
  await writeArtFolder(folder, 12, SIZE); // img-000 … img-011
  await writeFile(join(folder, 'empty.png'), Buffer.alloc(0));
  expectResult(await runCli(['new', project, '--size', String(SIZE), '--latent', '8', '--json']));
  const first = expectResult<ImportReport>(await runCli(['import', project, folder, '--json']));
  expect(first).toMatchObject({ scanned: 13, added: 13, updated: 0, unchanged: 0, removed: 0 });
  expect(first.counts).toMatchObject({ total: 13, ok: 12, failed: 1 });

  // The user edits the folder: three new pictures, one redrawn, one broken by a bad copy, two deleted.
  for (let i = 0; i < 3; i++) await writeFile(join(folder, `new-${i}.png`), await artPng(5000 + i, SIZE));
  await writeFile(join(folder, 'img-000.png'), await artPng(6000, SIZE));
  await writeFile(join(folder, 'img-001.png'), await truncatedPng(1001, SIZE));
  await rm(join(folder, 'img-002.png'));
  await rm(join(folder, 'empty.png'));

  const second = expectResult<ImportReport>(await runCli(['import', project, folder, '--json']));
  expect(second).toMatchObject({ scanned: 14, added: 3, updated: 2, unchanged: 9, removed: 2 });
  expect(second.counts).toMatchObject({ total: 14, ok: 13, failed: 1 });
  expect(second.counts.train + second.counts.val).toBe(13);
  expect(second.failed.map((f) => f.path)).toEqual(['img-001.png']);
  expect(second.failed[0].reason).toMatch(/truncated|corrupt/i);

  // Nothing changed since: everything is unchanged, nothing re-read.
  const third = expectResult<ImportReport>(await runCli(['import', project, folder, '--json']));
  expect(third).toMatchObject({ scanned: 14, added: 0, updated: 0, unchanged: 14, removed: 0 });
  expect(third.counts).toEqual(second.counts);

  // info agrees with the last import.
  const info = expectResult<ProjectInfo>(await runCli(['info', project, '--json']));
  expect(info.images).toEqual(second.counts);
  expect(info.failed.map((f) => f.path)).toEqual(['img-001.png']);
});
