// --quality best: the larger shipped network for a project that denoises with the shipped weights, and eight
// orientations of a project's own weights once its training beat them (the larger network knows nothing of them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackendReport, initBackend } from '../ml/backends';
import { pretrainedDenoiserPath } from '../ml/denoiser/pretrained';
import { addNoise, psnr, syntheticPhoto } from '../ml/denoiser/test-support/images';
import { bestQualityRunner } from './denoiser-session';

let backend: BackendReport;
beforeAll(async () => {
  backend = await initBackend('auto');
});

describe('best quality', () => {
  const best = () => bestQualityRunner('pretrained', backend, 2);
  let opened: ReturnType<typeof best> | undefined;
  afterAll(() => opened?.close());

  it('runs the larger shipped denoiser for the shipped weights, and it cleans a noisy photo', async () => {
    expect(pretrainedDenoiserPath('best'), 'resources/denoiser must hold the best network').toBeDefined();
    opened = best();
    expect(opened.describe).toContain('larger shipped denoiser');
    const runner = await opened.runner();
    expect(runner).toBeDefined();
    const clean = syntheticPhoto(96, 64, 5);
    const noisy = addNoise(clean, 25 / 255, 6);
    const out = await runner!.denoise(noisy, 96, 64);
    expect(out.length).toBe(clean.length);
    expect(psnr(out, clean)).toBeGreaterThan(psnr(noisy, clean) + 3);
  }, 60_000);

  it("keeps a fine-tuned project's own weights: eight orientations of them", async () => {
    const tuned = bestQualityRunner(7, backend, 2);
    expect(tuned.describe).toContain("8 orientations of this project's fine-tuned weights");
    expect(await tuned.runner()).toBeUndefined();
    await tuned.close();
  });
});
