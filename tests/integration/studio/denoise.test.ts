// Denoising through the app engine, as the Denoise screen drives it: a denoiser project denoises one photo
// (before and after served for the comparison slider, the original untouched), then a folder with a bad file
// in it (report per file, CSV saved); a generator project's encode → decode at its own size.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEngine } from './test-engine';
import type { AppEngine } from '../../../main/studio/api';
import { DEFAULT_DENOISE_BETA } from '../../../main/engine/operations/training/denoise-kind';
import { artJpeg, makeTempFolder } from '../files';

const tmp = makeTempFolder('app-denoise');
const photos = join(tmp.dir, 'photos');
let engine: AppEngine;
const call = (service: string, method: string, input: unknown = {}) => engine.dispatch(service, method, input) as Promise<any>;
const sha = async (file: string) => createHash('sha256').update(await readFile(file)).digest('hex');

beforeAll(async () => {
  await mkdir(photos, { recursive: true });
  for (let i = 0; i < 3; i++) await writeFile(join(photos, `photo-${i}.jpg`), await artJpeg(700 + i, 72, 56));
  await writeFile(join(photos, 'broken.jpg'), 'not a photo');
  engine = createTestEngine(tmp.dir);
});

afterAll(async () => {
  await engine?.shutdown();
  tmp.remove();
});

describe('denoising in the app', () => {
  it('denoises one photo at full size, serves before and after, and leaves the original alone', async () => {
    await call('projects', 'create', { name: 'Photos', kind: 'denoise' });
    const input = join(photos, 'photo-0.jpg');
    const original = await sha(input);
    const result = await call('denoise', 'image', { input, strength: 1, jobId: 'one-photo' });
    expect(result).toMatchObject({ width: 72, height: 56 });
    expect(result.output).toMatch(/photo-0-denoised\.jpg$/);
    const after = await sharp(result.output).metadata();
    expect([after.width, after.height]).toEqual([72, 56]);
    for (const ref of [result.before, result.after]) {
      const media = await engine.media(ref);
      expect(media?.mime, ref).toBe('image/jpeg');
    }
    expect(await sha(input)).toBe(original);
    expect(result.noise).toMatchObject({ estimatedSigma: expect.any(Number), sigmaFrom: 'estimate' });
    expect(result.noise.sigma).toBe(result.noise.estimatedSigma);
  });

  it('takes the σ the user sets instead of the estimate, and refuses one out of range with the reason', async () => {
    const input = join(photos, 'photo-1.jpg');
    const result = await call('denoise', 'image', { input, strength: 1, sigma: 30, jobId: 'set-sigma' });
    expect(result.noise).toMatchObject({ sigma: 30, sigmaFrom: 'user', estimatedSigma: expect.any(Number) });
    await expect(call('denoise', 'image', { input, sigma: 300, jobId: 'bad-sigma' })).rejects.toThrow(/at most 100/);
  });

  it("suggests a denoiser's own training settings: its KL weight, and epochs counted in crops", async () => {
    await call('dataset', 'import', { folder: photos, jobId: 'import-photos' });
    const defaults = await call('training', 'defaults');
    expect(defaults.beta).toBe(DEFAULT_DENOISE_BETA);
    const photosReady = (await call('dataset', 'summary')).counts.ready;
    expect(photosReady).toBe(3);
    expect(defaults.batch, 'batches hold crops, several per photo').toBeGreaterThan(photosReady);
  });

  it('denoises a folder, reports the unreadable file with its reason, and saves the report as CSV', async () => {
    const output = join(tmp.dir, 'denoised');
    const report = await call('denoise', 'batch', { input: photos, output, jobId: 'batch-1' });
    expect(report).toMatchObject({ done: 3, failed: 1, skipped: 0 });
    const broken = report.items.find((i: { file: string }) => i.file === 'broken.jpg');
    expect(broken.status).toBe('failed');
    expect(broken.reason).toBeTruthy();
    expect(broken.estimatedSigma).toBeNull();
    for (const done of report.items.filter((i: { status: string }) => i.status === 'done')) expect(done.estimatedSigma).toEqual(expect.any(Number));
    const saved = await call('denoise', 'saveReport', { batchId: report.batchId });
    const csv = await readFile(saved.path, 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(1 + 4);
    expect(csv).toContain('broken.jpg');
  });

  it('refuses an output folder inside the input folder with the reason', async () => {
    await expect(call('denoise', 'batch', { input: photos, output: join(photos, 'out'), jobId: 'batch-2' })).rejects.toThrow(/inside/i);
  });

  it('tells a denoiser project to use the photo tools rather than the generator path', async () => {
    await expect(call('denoise', 'viaGenerator', { imageId: 1 })).rejects.toThrow(/photo tools/);
  });
});
