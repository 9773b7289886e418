// A denoise project end to end on generated photos: import keeps native-resolution crops, training (the same
// service as a generator's) lowers the held-out loss, resumes exactly, and a new project of the shipped
// architecture starts from the pretrained weights.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { syntheticPhoto } from '../../ml/denoiser/test-support/images';
import { pretrainedDenoiserPath } from '../../ml/denoiser/pretrained';
import { createTestProject } from '../../store/test-support/fixtures';
import { useTempFolder } from '../../store/test-support/temp-folder';
import { DENOISE_CROPS_PER_PHOTO } from '../../store/settings';
import { importFolder } from '../import-folder';
import { train } from '../train';
import { DEFAULT_DENOISE_BETA, denoiseTraining, FINE_TUNE_LR } from './denoise-kind';
import { chooseDenoiserWeights } from '../denoiser-session';
import { pretrainedDenoiser } from '../../ml/denoiser/pretrained';
import type { DenoiserModel } from '../../ml/denoiser/model';
import { STREAM, streamSeed } from '../run-config';

const tempFolder = useTempFolder();

async function photoFolder(dir: string, count: number): Promise<string> {
  const folder = join(dir, 'photos');
  mkdirSync(folder);
  for (let i = 0; i < count; i++) {
    const rgb = syntheticPhoto(80, 60, i + 1);
    const bytes = Buffer.from(rgb.map((v) => Math.round(v * 255)));
    writeFileSync(join(folder, `p${i}.png`), await sharp(bytes, { raw: { width: 80, height: 60, channels: 3 } }).png().toBuffer());
  }
  return folder;
}

const fast = { batch: 8, lr: 3e-3, threads: 1, backend: 'wasm' as const, checkpointEvery: 1000 };

describe('training a denoise project', () => {
  it('imports native-resolution crops and lowers the held-out loss', async () => {
    const dir = tempFolder();
    const store = createTestProject(dir, { kind: 'denoise', imageSize: 32, latentSize: 4 });
    const report = await importFolder(store, await photoFolder(dir, 6));
    expect(report.counts.ok).toBe(6);
    const pixels = store.images.loadPixels('train');
    expect(pixels.data.length).toBe(pixels.count * DENOISE_CROPS_PER_PHOTO * 32 * 32 * 3);

    const first = await train(store, { ...fast, epochs: 1 });
    expect(store.runs.latest()!.config).toMatchObject({ beta: DEFAULT_DENOISE_BETA }); // a denoiser's own default
    expect(first.stepsRun).toBe(Math.floor((first.epoch * pixels.count * DENOISE_CROPS_PER_PHOTO) / 8));
    const later = await train(store, { ...fast, epochs: 6 });
    expect(later.resumedFromStep).toBe(first.step);
    expect(later.val!.total).toBeLessThan(first.val!.total);
    expect(later.val!.kl).toBeGreaterThan(0);
    store.close();
  }, 60_000);

  it('trains on ONNX Runtime too, following the TF.js run of the same seed', async () => {
    const dir = tempFolder();
    const photos = await photoFolder(dir, 4);
    const run = async (name: string, backend: 'onnx' | 'wasm') => {
      const store = createTestProject(dir, { kind: 'denoise', imageSize: 32, latentSize: 4 }, name);
      await importFolder(store, photos);
      const result = await train(store, { ...fast, backend, threads: 2, seed: 3, epochs: 3 });
      const curve = store.metrics.list(result.runId, { split: 'train' }).map((p) => p.total);
      store.close();
      return { result, curve };
    };
    const onnx = await run('onnx.vaestudio', 'onnx');
    const tfjs = await run('tfjs.vaestudio', 'wasm');
    expect(onnx.result.backend.name).toBe('onnx');
    expect(onnx.result.threads).toBe(2);
    expect(onnx.curve.length).toBe(tfjs.curve.length);
    onnx.curve.forEach((total, i) => expect(Math.abs(total - tfjs.curve[i]) / Math.abs(tfjs.curve[i])).toBeLessThan(0.01));
  }, 60_000);

  it('resumes exactly: noise, crops and latents come from the step number, so 1 + 1 epochs = 2 epochs', async () => {
    const dir = tempFolder();
    const photos = await photoFolder(dir, 3);
    const weightsAfter = async (name: string, epochsPerCall: number[]) => {
      const store = createTestProject(dir, { kind: 'denoise', imageSize: 32, latentSize: 4 }, name);
      await importFolder(store, photos);
      for (const epochs of epochsPerCall) await train(store, { ...fast, epochs });
      const weights = Buffer.from(store.checkpoints.latest()!.weights);
      store.close();
      return weights;
    };
    expect(await weightsAfter('resumed.vaestudio', [1, 2])).toEqual(await weightsAfter('straight.vaestudio', [2]));
  }, 60_000);

  it.skipIf(!pretrainedDenoiserPath())('starts a new project of the default architecture from the shipped weights', async () => {
    const dir = tempFolder();
    const store = createTestProject(dir, { kind: 'denoise', imageSize: 32, latentSize: 16 });
    await importFolder(store, await photoFolder(dir, 2));
    const notices: string[] = [];
    const { lr: _lr, ...noLr } = fast;
    await train(store, { ...noLr, maxSteps: 1, epochs: 1 }, { onNotice: (l) => notices.push(l) });
    expect(notices.join('\n')).toContain('Starting from the pretrained denoiser');
    // A pretrained start fine-tunes gently by default (at 1e-3 the first step threw the shipped weights away).
    expect(store.runs.latest()!.config.lr).toBe(FINE_TUNE_LR);
    store.close();
  }, 60_000);

  it.skipIf(!pretrainedDenoiserPath())('fine-tuning that hurts is never used: what denoises is at least as good as the shipped weights on held-out crops', async () => {
    const dir = tempFolder();
    const store = createTestProject(dir, { kind: 'denoise', imageSize: 32, latentSize: 16 });
    await importFolder(store, await photoFolder(dir, 4));
    // A learning rate far too high for a pretrained start: training makes the denoiser worse.
    await train(store, { ...fast, lr: 0.05, epochs: 3, seed: 1 });
    const checkpoints = store.checkpoints.list();
    expect(checkpoints.every((c) => Number.isFinite(c.losses.valPsnr) && Number.isFinite(c.losses.startingPsnr))).toBe(true);
    const shipped = checkpoints[0].losses.startingPsnr;
    const best = Math.max(...checkpoints.map((c) => c.losses.valPsnr));
    console.log(`held-out denoising PSNR: shipped ${shipped.toFixed(2)} dB, best checkpoint ${best.toFixed(2)} dB`);
    expect(best).toBeLessThan(shipped); // the training really did hurt

    const choice = chooseDenoiserWeights(store, undefined, true);
    expect(choice.kind).toBe('pretrained');
    expect(choice.why).toMatch(/No checkpoint denoises held-out crops better than the shipped denoiser yet/);
    // What `denoise` then runs scores the shipped weights' PSNR (≥ shipped − 0.1 dB).
    const kind = denoiseTraining(store.getSettings());
    const used = kind.createModel(0) as DenoiserModel;
    used.load(pretrainedDenoiser(used.config)!.weights);
    const set = store.images.loadPixels('val').count > 0 ? store.images.loadPixels('val') : store.images.loadPixels('train');
    const score = kind.quality!(used, set, streamSeed(store.runs.latest()!.config.seed, STREAM.validation, 1));
    expect(score).toBeGreaterThanOrEqual(shipped - 0.1);
    used.dispose();

    // Once a checkpoint does beat the shipped weights, that checkpoint is chosen.
    const better = checkpoints[checkpoints.length - 1];
    store.db.prepare('UPDATE checkpoints SET losses = ? WHERE id = ?').run(JSON.stringify({ ...better.losses, valPsnr: shipped + 1 }), better.id);
    expect(chooseDenoiserWeights(store, undefined, true)).toMatchObject({ kind: 'checkpoint', id: better.id });
    store.close();
  }, 120_000);

  it('previews one column per held-out photo when there are few of them, never reading past the crops', async () => {
    const dir = tempFolder();
    const store = createTestProject(dir, { kind: 'denoise', imageSize: 32, latentSize: 4 });
    await importFolder(store, await photoFolder(dir, 2));
    const kind = denoiseTraining(store.getSettings());
    const model = kind.createModel(1);
    const all = store.images.loadPixels('train');
    const widthFor = async (photos: number) => {
      const set = { ...all, count: photos, data: all.data.subarray(0, photos * DENOISE_CROPS_PER_PHOTO * 32 * 32 * 3) };
      const [preview] = await kind.previews(model, set, 7);
      const { data, info } = await sharp(preview.png).raw().toBuffer({ resolveWithObject: true });
      expect(data.some((v) => v > 0), 'a preview with pixels in it').toBe(true);
      return info.width;
    };
    const one = await widthFor(1);
    expect(await widthFor(2)).toBeGreaterThan(one);
    model.dispose();
    store.close();
  }, 60_000);
});
