// Permission errors, met as an ordinary user would meet them. Root reads and writes through chmod, so when the
// suite runs as root these commands run as the unprivileged "nobody" (uid 65534) instead.
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../main/engine/operations/import-folder';
import { artPng, makeTempFolder, writeArtFolder } from '../files';
import { ensureBuilt, expectError, expectResult, runCli, type SpawnOptions } from '../run-cli';

const asUser: SpawnOptions = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
const tmp = makeTempFolder('permissions');

beforeAll(async () => {
  await ensureBuilt();
  chmodSync(tmp.dir, 0o777);
  if (asUser.uid !== undefined) console.log('[permissions] running the CLI as uid 65534 (nobody): root is not stopped by chmod');
});
afterAll(() => tmp.remove());

const cli = (args: string[]) => runCli([...args, '--json'], { ...asUser, cwd: tmp.dir });

describe('permission errors', () => {
  it('an unreadable project file is refused with the OS reason', async () => {
    const project = join(tmp.dir, 'locked.vaestudio');
    expectResult(await runCli(['new', project, '--size', '16', '--latent', '8', '--json']));
    chmodSync(project, 0o000);
    const message = expectError(await cli(['info', project]));
    expect(message).toContain(project);
    expect(message).toMatch(/permission denied/i);
  });

  it('import reports unreadable files and folders by name and imports the rest', async () => {
    const images = join(tmp.dir, 'images');
    await writeArtFolder(images, 6, 16);
    writeFileSync(join(images, 'secret.png'), await artPng(7, 16));
    chmodSync(join(images, 'secret.png'), 0o000);
    mkdirSync(join(images, 'private'));
    writeFileSync(join(images, 'private', 'inner.png'), await artPng(8, 16));
    chmodSync(join(images, 'private'), 0o000);
    const project = join(tmp.dir, 'open.vaestudio');
    expectResult(await cli(['new', project, '--size', '16', '--latent', '8']));
    const report = expectResult<ImportReport>(await cli(['import', project, images]));
    expect(report.counts.ok).toBe(6);
    const problems = [...report.failed, ...report.skipped];
    expect(problems.find((p) => p.path.includes('secret.png'))?.reason).toMatch(/permission denied/i);
    expect(problems.find((p) => p.path.includes('private'))?.reason).toMatch(/permission denied/i);
  });

  it('writing into a read-only folder fails with a clear message and leaves nothing behind', async () => {
    const project = join(tmp.dir, 'open.vaestudio');
    expectResult(await cli(['train', project, '--epochs', '1', '--batch', '4']));
    const out = join(tmp.dir, 'readonly');
    mkdirSync(out);
    chmodSync(out, 0o555);
    const message = expectError(await cli(['sample', project, '--out', join(out, 's.png')]));
    expect(message).toMatch(/Cannot write to .*readonly.*permission denied|read-only/i);
    expect(readdirSync(out)).toEqual([]);
  });
});
