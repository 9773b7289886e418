// The app engine as a host drives it: every call goes through dispatch() (schema validation included) and every
// picture through media(). A user's path: create a project → import a folder with planted bad files → read the
// report → browse thumbnails → train a tiny model and watch it → pause, resume → checkpoints.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/contract/define';
import { createAppEngine } from '../../../main/studio/engine';
import type { AppEngine } from '../../../main/studio/api';
import { artJpeg, BAD_FILES, makeTempFolder, writeArtFolder, writeBadFiles } from '../files';

const SIZE = 16;
const tmp = makeTempFolder('app-engine');
const images = join(tmp.dir, 'my pictures');
const options = {
  projectsFolder: join(tmp.dir, 'projects'),
  exportsFolder: join(tmp.dir, 'exports'),
  configFolder: join(tmp.dir, 'config'),
  backend: 'wasm' as const,
  host: 'server' as const,
};

interface Heard {
  service: string;
  event: string;
  payload: any;
}

let engine: AppEngine;
const heard: Heard[] = [];
const call = (service: string, method: string, input: unknown = {}) => engine.dispatch(service, method, input) as Promise<any>;
const events = (service: string, event: string) => heard.filter((h) => h.service === service && h.event === event).map((h) => h.payload);

async function waitFor(check: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rejection(promise: Promise<unknown>): Promise<RpcError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have been refused').toBeInstanceOf(RpcError);
  return error as RpcError;
}

const trainOptions = { epochs: 2, batch: 8, lr: 0.001, beta: 1, seed: 1 };

beforeAll(async () => {
  await writeArtFolder(images, 40, SIZE, 500);
  await writeBadFiles(images, SIZE);
  await copyFile(join(images, 'img-000.png'), join(images, 'copy of img-000.png'));
  await mkdir(join(images, 'wide'), { recursive: true });
  await writeFile(join(images, 'wide', 'a.jpg'), await artJpeg(9001, 48, 32));
  await writeFile(join(images, 'wide', 'b.jpg'), await artJpeg(9002, 48, 32));
  engine = createAppEngine(options);
  engine.onEvent((service, event, payload) => heard.push({ service, event, payload }));
});

afterAll(async () => {
  await engine?.shutdown();
  tmp.remove();
});

describe('app engine', () => {
  it('asks for a project before anything else, and refuses unknown calls by name', async () => {
    expect((await rejection(call('dataset', 'summary'))).code).toBe('no-project');
    const unknownService = await rejection(call('telepathy', 'read'));
    expect(unknownService.code).toBe('not-found');
    expect(unknownService.message).toContain('telepathy');
    expect((await rejection(call('projects', 'format', {}))).message).toContain('format');
  });

  it('refuses project settings that cannot work, with the reason', async () => {
    const odd = await rejection(call('projects', 'create', { name: 'Odd', imageSize: 20, latentSize: 8 }));
    expect(odd.code).toBe('invalid-input');
    expect(odd.message).toMatch(/power of two/);
    const relative = await rejection(call('projects', 'open', { path: 'somewhere/x.vaestudio' }));
    expect(relative.code).toBe('invalid-input');
    const missing = await rejection(call('projects', 'open', { path: join(tmp.dir, 'nope.vaestudio') }));
    expect(missing.code).toBe('not-found');
  });

  it('creates a project in the projects folder, tells the screens, and lists it as recent', async () => {
    const project = await call('projects', 'create', { name: 'Sketches: 2024', imageSize: SIZE, latentSize: 8 });
    expect(project.path).toBe(join(options.projectsFolder, 'Sketches- 2024.vaestudio'));
    expect(project).toMatchObject({ name: 'Sketches- 2024', imageSize: SIZE, latentSize: 8, kind: 'generate', checkpoints: 0 });
    expect(events('projects', 'changed').at(-1).project.path).toBe(project.path);
    expect((await call('projects', 'current')).project.path).toBe(project.path);
    const { projects } = await call('projects', 'recent');
    expect(projects[0]).toMatchObject({ path: project.path, exists: true });
  });

  it('imports a folder as a job and reports failures with reasons, duplicates and the size mix', async () => {
    const report = await call('dataset', 'import', { folder: images, jobId: 'import-1' });
    expect(report).toMatchObject({ added: 40 + 3 + 1 + 2, failed: 3, duplicates: 1 });
    expect(events('jobs', 'progress').some((p) => p.jobId === 'import-1' && p.kind === 'import')).toBe(true);
    expect(events('jobs', 'finished').find((p) => p.jobId === 'import-1')).toMatchObject({ status: 'done' });

    const summary = await call('dataset', 'summary');
    expect(summary.counts).toEqual({ total: 46, ready: 42, failed: 3, duplicate: 1 });
    expect(summary.failures.map((f: { path: string }) => f.path).sort()).toEqual([...BAD_FILES].sort());
    for (const failure of summary.failures) expect(failure.reason.length).toBeGreaterThan(5);
    // Either file may be taken as the original, depending on which was decoded first.
    expect(summary.duplicates).toHaveLength(1);
    expect([summary.duplicates[0].path, summary.duplicates[0].duplicateOf].sort()).toEqual(['copy of img-000.png', 'img-000.png']);
    expect(summary.sizes[0]).toEqual({ label: '16×16', count: 41 });
    expect(summary.sizes).toContainEqual({ label: '48×32', count: 2 });
    expect((await call('projects', 'current')).project.sourceFolder).toBe(images);
  });

  it('pages the dataset with thumbnails that resolve to PNG pictures', async () => {
    const page = await call('dataset', 'page', { offset: 0, limit: 10, status: 'ready' });
    expect(page.total).toBe(42);
    expect(page.items).toHaveLength(10);
    const media = await engine.media(page.items[0].thumb);
    expect(media?.mime).toBe('image/png');
    const meta = await sharp(media!.bytes!).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', SIZE, SIZE]);

    const failed = await call('dataset', 'page', { offset: 0, limit: 10, status: 'failed' });
    expect(failed.items.every((i: { thumb: unknown; reason: string }) => i.thumb === null && i.reason)).toBe(true);
    expect((await rejection(call('dataset', 'page', { offset: 0, limit: 0 }))).code).toBe('invalid-input');
  });

  it('answers null for media that does not exist or is not a media reference', async () => {
    for (const ref of ['thumb/999999', 'thumb/abc', 'thumb/..', 'nothing/1', '../../etc/passwd', 'preview/0', '']) {
      expect(await engine.media(ref), ref).toBeNull();
    }
  });

  it('refuses an import of a folder that is not there', async () => {
    const error = await rejection(call('dataset', 'import', { folder: join(tmp.dir, 'nowhere'), jobId: 'import-2' }));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('nowhere');
  });

  it('suggests settings sized to the dataset', async () => {
    const defaults = await call('training', 'defaults');
    expect(defaults.batch).toBeLessThanOrEqual(42);
    expect(defaults.epochs).toBeGreaterThanOrEqual(5);
    expect((await call('training', 'backend')).name).toBe('wasm');
  });

  it('trains in the background with live metrics, previews and state, ending idle with checkpoints', async () => {
    const { runId } = await call('training', 'start', trainOptions);
    await waitFor(() => events('training', 'state').some((s) => s.status === 'idle' && s.runId === runId), 'training to finish');
    const last = events('training', 'state').at(-1);
    expect(last).toMatchObject({ status: 'idle', runId, lastError: null, epochs: 2 });
    expect(last.step).toBe(last.totalSteps);
    expect(last.backend.name).toBe('wasm');

    const metrics = events('training', 'metric').filter((m) => m.runId === runId);
    expect(metrics.some((m) => m.split === 'train')).toBe(true);
    expect(metrics.filter((m) => m.split === 'validation').map((m) => m.epoch)).toEqual([1, 2]);
    const previews = events('training', 'preview').filter((p) => p.runId === runId);
    expect(previews.map((p) => p.kind).sort()).toEqual(['reconstructions', 'reconstructions', 'samples', 'samples']);
    expect((await engine.media(previews[0].image))?.mime).toBe('image/png');
    expect(events('jobs', 'finished').some((f) => f.kind === 'train' && f.status === 'done')).toBe(true);

    const history = await call('training', 'history', {});
    expect(history.metrics.length).toBe(metrics.length);
    expect(history.previews).toHaveLength(4);

    const { checkpoints } = await call('checkpoints', 'list');
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.filter((c: { active: boolean }) => c.active)).toHaveLength(1);
    expect(checkpoints[0]).toMatchObject({ runId, step: last.step, active: true });
    expect(checkpoints[0].losses.total).toBeGreaterThan(0);
    expect(checkpoints[0].preview).toMatch(/^preview\/[0-9a-f]+-\d+$/);
  });

  it('serves the canvas, gallery and exports with the trained checkpoint', async () => {
    const map = await call('explore', 'map', { jobId: 'map-1' });
    expect(map.points).toHaveLength(42);
    expect((await engine.media(map.points[0].thumb))?.mime).toBe('image/png');
    const saved = await call('gallery', 'save', { latent: map.mean, operation: 'map' });
    expect((await engine.media(saved.image))?.mime).toBe('image/png');
    expect((await call('gallery', 'regenerate', { id: saved.id })).identical).toBe(true);
    const exported = await call('exports', 'png', { latent: map.mean });
    expect((await sharp(exported.path).metadata()).width).toBe(SIZE);
  });

  it('pauses at the next step with a checkpoint, refuses other work meanwhile, and resumes the same run', async () => {
    const { runId } = await call('training', 'start', { ...trainOptions, epochs: 40, newRun: true });
    const stepOf = () => events('training', 'state').filter((s) => s.runId === runId).at(-1)?.step ?? 0;
    await waitFor(() => stepOf() >= 3, 'a few training steps');

    const busy = await rejection(call('dataset', 'import', { folder: images, jobId: 'import-3' }));
    expect(busy.code).toBe('busy');
    expect(busy.message).toMatch(/training is running/);
    expect((await rejection(call('training', 'start', trainOptions))).code).toBe('busy');
    // Interactive calls are served while it trains: decode with the first run's checkpoint.
    const decoded = await call('explore', 'decode', { latent: new Array(8).fill(0.5) });
    expect([decoded.width, decoded.height, Buffer.from(decoded.rgb, 'base64').length]).toEqual([SIZE, SIZE, SIZE * SIZE * 3]);
    expect(events('training', 'state').at(-1).status).toBe('running');

    await call('training', 'pause');
    const paused = await call('training', 'state');
    expect(paused).toMatchObject({ status: 'paused', runId });
    expect(paused.step).toBeLessThan(paused.totalSteps);
    const saved = (await call('checkpoints', 'list')).checkpoints.find((c: { runId: number }) => c.runId === runId);
    expect(saved.step).toBe(paused.step);

    const before = events('training', 'state').length;
    await call('training', 'resume');
    expect((await rejection(call('training', 'resume'))).code).toBe('invalid-input');
    // The resumed session starts from the paused step, in the same run.
    const resumed = events('training', 'state').slice(before).find((s) => s.status === 'running');
    expect(resumed).toMatchObject({ runId, step: paused.step });
    await waitFor(() => stepOf() > paused.step, 'a step after resuming');
    await call('training', 'stop');
    const stopped = await call('training', 'state');
    expect(stopped).toMatchObject({ status: 'idle', runId });
    expect(stopped.step).toBeGreaterThanOrEqual(paused.step);
    expect((await call('training', 'history', {})).metrics.every((m: { runId: number }) => m.runId === runId)).toBe(true);
  });

  it('refuses to continue a run with different settings, naming the setting', async () => {
    const error = await rejection(call('training', 'start', { ...trainOptions, epochs: 40, lr: 0.01 }));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/learning rate of 0\.001, not 0\.01/);
    expect((await rejection(call('training', 'start', { ...trainOptions, batch: 0 }))).code).toBe('invalid-input');
    expect((await rejection(call('training', 'pause'))).message).toMatch(/not running/);
  });

  it('restores, pins and deletes checkpoints, keeping the last one of a run in training', async () => {
    const { checkpoints } = await call('checkpoints', 'list');
    const oldest = checkpoints.at(-1);
    await call('checkpoints', 'restore', { id: oldest.id });
    await call('checkpoints', 'pin', { id: oldest.id, pinned: true });
    const after = (await call('checkpoints', 'list')).checkpoints.find((c: { id: number }) => c.id === oldest.id);
    expect(after).toMatchObject({ active: true, pinned: true });
    expect((await rejection(call('checkpoints', 'restore', { id: 999_999 }))).code).toBe('not-found');

    // A paused run keeps at least one checkpoint to resume from.
    const { runId } = await call('training', 'start', { ...trainOptions, epochs: 40 });
    await waitFor(() => (events('training', 'state').at(-1)?.step ?? 0) > 0, 'a training step');
    await call('training', 'pause');
    const own = (await call('checkpoints', 'list')).checkpoints.filter((c: { runId: number }) => c.runId === runId);
    for (const c of own.slice(1)) await call('checkpoints', 'remove', { id: c.id });
    const refused = await rejection(call('checkpoints', 'remove', { id: own[0].id }));
    expect(refused.code).toBe('invalid-input');
    expect(refused.message).toMatch(/only one of run/);
    await call('training', 'stop');
    await call('checkpoints', 'remove', { id: own[0].id });
    expect((await call('checkpoints', 'list')).checkpoints.some((c: { id: number }) => c.id === own[0].id)).toBe(false);
  });

  it('asks before switching away from a running training, then stops it at a checkpoint; reopening shows where it stood', async () => {
    const first = (await call('projects', 'current')).project.path;
    const { runId } = await call('training', 'start', { ...trainOptions, epochs: 40 });
    const stepNow = () => events('training', 'state').filter((s) => s.runId === runId).at(-1)?.step ?? 0;
    const from = stepNow();
    await waitFor(() => stepNow() > from + 2, 'training to move on');
    expect((await call('projects', 'open', { path: first })).path, 'opening the open project changes nothing').toBe(first);
    expect((await call('training', 'state')).status).toBe('running');
    const refused = await rejection(call('projects', 'create', { name: 'Second', imageSize: SIZE, latentSize: 8 }));
    expect(refused.code).toBe('busy');
    expect(refused.message).toMatch(/Training is running in .*: stop it at a checkpoint and switch\?/);
    expect((await call('projects', 'current')).project.path, 'nothing switched').toBe(first);
    expect((await call('training', 'state')).status).toBe('running');
    await call('projects', 'create', { name: 'Second', imageSize: SIZE, latentSize: 8, stopTraining: true });
    const reached = events('training', 'state').filter((s) => s.runId === runId).at(-1).step;
    expect((await call('training', 'state')).status).toBe('idle');
    await call('projects', 'open', { path: first });
    const newest = (await call('checkpoints', 'list')).checkpoints.find((c: { runId: number }) => c.runId === runId);
    expect(newest.step).toBe(reached);
    // The opened project's training state is where its run stands, not "epoch 0 / 0 · step 0".
    const state = await call('training', 'state');
    expect(state).toMatchObject({ status: 'idle', runId, step: reached, epochs: 40 });
    expect(state.epoch).toBe(newest.epoch);
    expect(state.totalSteps).toBeGreaterThan(reached);
  });

  it('closes the project on shutdown and ignores a damaged recent list', async () => {
    const path = (await call('projects', 'current')).project.path;
    await engine.shutdown();
    expect((await call('projects', 'current')).project).toBeNull();
    await call('projects', 'recent'); // lets the last open's save land before the file is damaged
    await writeFile(join(options.configFolder, 'recent-projects.json'), '{ not json');
    expect((await call('projects', 'recent')).projects).toEqual([]);
    await call('projects', 'open', { path });
    expect((await call('projects', 'recent')).projects[0].path).toBe(path);
  });
});
