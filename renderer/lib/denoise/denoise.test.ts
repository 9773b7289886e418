// The Denoise screen's state on a fake host: one photo and a lower strength previewed live then applied, a
// folder batch with its report and cancel, and another project's results cleared.
import { describe, expect, it } from 'vitest';
import type { BatchReport } from '../../../shared/services/denoise';
import { fakeHost } from '../test-support/fake-host';
import { DenoiseModel, noiseText } from './denoise.svelte';

const REPORT: BatchReport = { batchId: 2, input: '/in', output: '/out', done: 3, skipped: 0, failed: 1, resumed: false, written: 3, alreadyDone: null, items: [] };

function setup() {
  const host = fakeHost({
    'denoise.image': ({ strength, sigma }: { strength: number; sigma?: number }) => ({
      before: 'denoise/1',
      after: `denoise/${strength * 100}`,
      output: '/out/a.jpg',
      width: 4,
      height: 3,
      seconds: 0.5,
      noise: { estimatedSigma: 24.8, sigma: sigma ?? 24.8, sigmaFrom: sigma === undefined ? 'estimate' : 'user', blend: strength * 0.97 },
    }),
    'denoise.batch': () => REPORT,
    'denoise.saveReport': () => ({ path: '/out/report.csv', media: 'export/r1' }),
    'jobs.cancel': () => ({}),
  });
  return { host, denoise: new DenoiseModel(host) };
}

describe('denoise state', () => {
  it('denoises one photo, previews a lower strength as an opacity, then writes it at that strength', async () => {
    const { host, denoise } = setup();
    denoise.input = '  /photos/a.jpg ';
    denoise.strength = 0.8;
    await denoise.runImage();
    expect(host.inputsOf('denoise.image')).toEqual([{ input: '/photos/a.jpg', strength: 0.8, quality: 'fast', jobId: expect.any(String) }]);
    expect(denoise.result).toMatchObject({ after: 'denoise/80', strength: 0.8 });
    expect(denoise.imageJobId).toBeNull();
    denoise.previewStrength = 0.4;
    expect(denoise.previewOpacity).toBeCloseTo(0.5);
    await denoise.applyPreviewStrength();
    expect(host.inputsOf('denoise.image').at(-1)).toMatchObject({ strength: 0.4 });
    expect(denoise.result).toMatchObject({ strength: 0.4 });
    expect(denoise.previewOpacity).toBe(1);
  });

  it("estimates each photo's noise unless the user sets σ, and says which", async () => {
    const { host, denoise } = setup();
    denoise.input = '/photos/a.jpg';
    await denoise.runImage();
    expect(host.inputsOf('denoise.image').at(-1)).not.toHaveProperty('sigma');
    expect(noiseText(denoise.result!.noise!)).toBe('σ 24.8 (estimated)');
    denoise.estimateNoise = false;
    denoise.sigma = 30;
    await denoise.runImage();
    expect(host.inputsOf('denoise.image').at(-1)).toMatchObject({ sigma: 30 });
    expect(noiseText(denoise.result!.noise!)).toBe('σ 30 (set; estimated 24.8)');
    denoise.batchInput = '/in';
    denoise.batchOutput = '/out';
    await denoise.runBatch();
    expect(host.inputsOf('denoise.batch').at(-1)).toMatchObject({ sigma: 30 });
    // The quality chosen goes with one photo and with a folder.
    denoise.quality = 'best';
    await denoise.runImage();
    await denoise.runBatch();
    expect(host.inputsOf('denoise.image').at(-1)).toMatchObject({ quality: 'best' });
    expect(host.inputsOf('denoise.batch').at(-1)).toMatchObject({ quality: 'best' });
    // A batch row: the estimate alone, or the σ used when it was not the estimate; nothing for a tiny photo.
    expect(noiseText({ estimatedSigma: 3.1, sigma: 3.1 })).toBe('σ 3.1 (estimated)');
    expect(noiseText({ estimatedSigma: 3.1, sigma: 20 })).toBe('σ 20 (set; estimated 3.1)');
    expect(noiseText({ estimatedSigma: null, sigma: null })).toBe('too small to estimate');
  });

  it('runs a folder batch with its policy, can cancel it while it runs, and saves the report', async () => {
    const { host, denoise } = setup();
    let finish: (report: BatchReport) => void = () => {};
    host.answer({ 'denoise.batch': () => new Promise<BatchReport>((resolve) => (finish = resolve)) });
    denoise.batchInput = '/in';
    denoise.batchOutput = '/out ';
    denoise.onConflict = 'skip';
    const running = denoise.runBatch();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const jobId = denoise.batchJobId;
    expect(jobId).toEqual(expect.any(String));
    await denoise.cancelBatch();
    expect(host.inputsOf('jobs.cancel')).toEqual([{ jobId }]);
    finish(REPORT);
    await running;
    expect(host.inputsOf('denoise.batch')).toEqual([{ input: '/in', output: '/out', onConflict: 'skip', strength: 1, quality: 'fast', jobId }]);
    expect(denoise.report).toEqual(REPORT);
    expect(denoise.batchJobId).toBeNull();
    await denoise.saveCsv();
    expect(host.inputsOf('denoise.saveReport')).toEqual([{ batchId: 2 }]);
    expect(denoise.savedReport).toEqual({ path: '/out/report.csv', media: 'export/r1' });
    denoise.reset();
    expect([denoise.result, denoise.report, denoise.savedReport, denoise.generator]).toEqual([null, null, null, null]);
  });
});
