// What stood in an artist's way in the first hour, through the app engine as the screens drive it: media of one
// project never served for another, a folder checked before a project is made from it, and a finished folder
// batch that can be run again (at the strength asked for) into a new folder.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/contract/define';
import { createTestEngine } from './test-engine';
import type { AppEngine } from '../../../main/studio/api';
import { artJpeg, makeTempFolder, writeArtFolder } from '../files';

const tmp = makeTempFolder('first-hour');
const drawingsA = join(tmp.dir, 'drawings A');
const drawingsB = join(tmp.dir, 'drawings B');
const photos = join(tmp.dir, 'photos');
const projectsFolder = join(tmp.dir, 'projects');
let engine: AppEngine;
const call = (service: string, method: string, input: unknown = {}) => engine.dispatch(service, method, input) as Promise<any>;

async function rejection(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have been refused').toBeInstanceOf(RpcError);
  return error as RpcError;
}

beforeAll(async () => {
  await writeArtFolder(drawingsA, 4, 16, 100);
  await writeArtFolder(drawingsB, 4, 16, 900);
  await mkdir(photos, { recursive: true });
  for (let i = 0; i < 2; i++) await writeFile(join(photos, `photo-${i}.jpg`), await artJpeg(700 + i, 64, 48));
  engine = createTestEngine(tmp.dir, projectsFolder);
});

afterAll(async () => {
  await engine?.shutdown();
  tmp.remove();
});

describe('the first hour', () => {
  it("never serves one project's images for another: media references are scoped to the open project", async () => {
    await call('projects', 'create', { name: 'A', imageSize: 16, latentSize: 8, folder: drawingsA });
    await call('dataset', 'import', { folder: drawingsA, jobId: 'import-a' });
    const refA = (await call('dataset', 'page', { offset: 0, limit: 10 })).items[0].thumb as string;
    expect(await engine.media(refA)).not.toBeNull();

    await call('projects', 'create', { name: 'B', imageSize: 16, latentSize: 8, folder: drawingsB });
    await call('dataset', 'import', { folder: drawingsB, jobId: 'import-b' });
    const refB = (await call('dataset', 'page', { offset: 0, limit: 10 })).items[0].thumb as string;
    expect(refB, 'the same image id, another reference').not.toBe(refA);
    expect(await engine.media(refA), "A's thumbnail while B is open").toBeNull();
    const bytes = (await engine.media(refB))!.bytes!;
    const expected = await sharp(join(drawingsB, 'img-000.png')).raw().toBuffer();
    expect(Buffer.compare(await sharp(bytes).raw().toBuffer(), expected), "B's own first image").toBe(0);

    // Reopening A makes new references: an old page of A (cached by a browser) cannot show stale pixels.
    const pathA = join(projectsFolder, 'A.vaestudio');
    await call('projects', 'open', { path: pathA });
    const again = (await call('dataset', 'page', { offset: 0, limit: 10 })).items[0].thumb as string;
    expect(again).not.toBe(refA);
    expect(await engine.media(refB)).toBeNull();
  });

  it('checks the folder before creating a project: a missing or empty folder creates nothing', async () => {
    const before = (await call('projects', 'recent')).projects.map((p: { path: string }) => p.path);
    const missing = await rejection(call('projects', 'create', { name: 'Ghost', folder: join(tmp.dir, 'no such folder') }));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toContain('There is no folder at');
    const empty = join(tmp.dir, 'empty');
    await mkdir(empty);
    const refused = await rejection(call('projects', 'create', { name: 'Hollow', folder: empty }));
    expect(refused.code).toBe('invalid-input');
    expect(refused.message).toMatch(/is empty: put your images in it/);
    expect((await call('projects', 'recent')).projects.map((p: { path: string }) => p.path)).toEqual(before);
    expect(existsSync(join(projectsFolder, 'Ghost.vaestudio')) || existsSync(join(projectsFolder, 'Hollow.vaestudio'))).toBe(false);
    // An import of an empty folder is refused the same way, before anything of the dataset changes.
    const ready = (await call('dataset', 'summary')).counts.ready;
    expect((await rejection(call('dataset', 'import', { folder: empty, jobId: 'import-empty' }))).message).toMatch(/is empty/);
    expect((await call('dataset', 'summary')).counts.ready).toBe(ready);
  });

  it('denoises a folder at the strength asked for, and offers to run a finished batch again into a new folder', async () => {
    await call('projects', 'create', { name: 'Photos', kind: 'denoise' });
    const full = join(tmp.dir, 'clean full');
    const half = join(tmp.dir, 'clean half');
    // These art JPEGs are nearly clean, so their own noise estimate would leave them almost as they are: σ is set
    // so that strength has a clean-up to scale.
    await call('denoise', 'batch', { input: photos, output: full, strength: 1, sigma: 25, jobId: 'full' });
    const first = await call('denoise', 'batch', { input: photos, output: half, strength: 0.5, sigma: 25, jobId: 'half' });
    expect(first).toMatchObject({ done: 2, written: 2, resumed: false, alreadyDone: null });
    const distance = async (file: string) => {
      const [a, b] = await Promise.all([join(photos, 'photo-0.jpg'), file].map((f) => sharp(f).raw().toBuffer()));
      return a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / a.length;
    };
    expect(await distance(join(half, 'photo-0.jpg')), 'half strength stays closer to the original').toBeLessThan(await distance(join(full, 'photo-0.jpg')));

    const again = await call('denoise', 'batch', { input: photos, output: half, strength: 0.5, jobId: 'half-again' });
    expect(again).toMatchObject({ done: 2, written: 0, resumed: false, alreadyDone: { runAgainInto: `${half}-2` } });
    const into = await call('denoise', 'batch', { input: photos, output: again.alreadyDone.runAgainInto, strength: 0.5, jobId: 'half-2' });
    expect(into).toMatchObject({ done: 2, written: 2, alreadyDone: null });
    expect((await readdir(`${half}-2`)).sort()).toEqual(['photo-0.jpg', 'photo-1.jpg']);
  });
});
