// Transparency on the command line: `new` and `import` take --alpha auto|keep|flatten, the import says what it
// decided, `info` reports it, and a wrong value or a denoiser asked to keep alpha is refused in one line.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../main/engine/operations/import-folder';
import type { ProjectInfo } from '../../../main/engine/operations/info';
import { writeSpriteFolder } from '../../fixtures/sprites';
import { makeTempFolder, writeArtFolder } from '../files';
import { ensureBuilt, expectError, expectResult, runCli } from '../run-cli';

const tmp = makeTempFolder('cli-alpha');
const sprites = join(tmp.dir, 'sprites');
const art = join(tmp.dir, 'art');

beforeAll(async () => {
  await Promise.all([ensureBuilt(), writeSpriteFolder(sprites, 6, 16), writeArtFolder(art, 6, 16)]);
});
afterAll(() => tmp.remove());

const create = async (name: string, ...flags: string[]) => {
  const project = join(tmp.dir, name);
  expectResult(await runCli(['new', project, '--size', '16', '--latent', '8', ...flags, '--json']));
  return project;
};
const importJson = async (project: string, folder: string, ...flags: string[]) =>
  expectResult<ImportReport>(await runCli(['import', project, folder, ...flags, '--json']));
const info = async (project: string) => expectResult<ProjectInfo>(await runCli(['info', project, '--json']));

describe('--alpha', () => {
  it('keeps transparency of sprites by default, and leaves opaque drawings RGB', async () => {
    const icons = await create('icons.vaestudio');
    expect((await importJson(icons, sprites)).imageChannels).toBe(4);
    expect(await info(icons)).toMatchObject({ alpha: 'auto', imageChannels: 4 });
    const drawings = await create('drawings.vaestudio');
    expect((await importJson(drawings, art)).imageChannels).toBe(3);
  });

  it('flattens when asked at `new`, and switches (preparing every image again) when asked at `import`', async () => {
    const project = await create('flat.vaestudio', '--alpha', 'flatten');
    expect((await importJson(project, sprites)).imageChannels).toBe(3);
    const switched = await importJson(project, sprites, '--alpha', 'keep');
    expect([switched.imageChannels, switched.reprepared]).toEqual([4, 6]);
    expect(await info(project)).toMatchObject({ alpha: 'keep', imageChannels: 4 });
  });

  it('refuses an unknown choice, and a denoiser asked to keep transparency', async () => {
    expect(expectError(await runCli(['new', join(tmp.dir, 'x.vaestudio'), '--alpha', 'sometimes', '--json']))).toContain(
      '--alpha must be one of auto, keep, flatten',
    );
    expect(
      expectError(await runCli(['new', join(tmp.dir, 'photos.vaestudio'), '--kind', 'denoise', '--alpha', 'keep', '--json'])),
    ).toMatch(/denoise project works on RGB photos/);
  });
});
