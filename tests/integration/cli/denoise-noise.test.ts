// vae-studio denoise and each photo's noise, as a user sees it: the σ it estimated (near the truth), how much of
// the denoised image the photo got for it (a clean photo is left nearly alone), --sigma overriding the estimate,
// σ per photo in a folder's report, and bad --sigma values refused with the reason.
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, psnr, syntheticPhoto } from '../../../main/engine/ml/denoiser/test-support/images';
import { makeTempFolder } from '../files';
import { ensureBuilt, expectError, expectResult, runCli } from '../run-cli';

const tmp = makeTempFolder('denoise-noise');
const W = 192;
const H = 128;
const clean = syntheticPhoto(W, H, 11);
const project = join(tmp.dir, 'photos.vaestudio');
const cli = (args: string[]) => runCli([...args, '--json'], { cwd: tmp.dir });

interface Noise {
  estimatedSigma: number;
  sigma: number;
  sigmaFrom: string;
  blend: number;
}

async function png(file: string, rgb: Float32Array): Promise<void> {
  writeFileSync(file, await sharp(Buffer.from(rgb.map((v) => Math.round(v * 255))), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer());
}
async function pixels(file: string): Promise<Float32Array> {
  return Float32Array.from(await sharp(file).removeAlpha().raw().toBuffer(), (v) => v / 255);
}
/** Mean absolute difference on 0..255. */
const distance = (a: Float32Array, b: Float32Array) => (a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length) * 255;

beforeAll(async () => {
  await ensureBuilt();
  expectResult(await cli(['new', project, '--kind', 'denoise']));
});
afterAll(() => tmp.remove());

describe("denoise reads each photo's noise", () => {
  it('reports the σ it estimated, near the true one, and denoises the photo fully for it', async () => {
    const input = join(tmp.dir, 'noisy25.png');
    await png(input, addNoise(clean, 25 / 255, 3));
    const run = await cli(['denoise', project, input, join(tmp.dir, 'out25.png')]);
    const { noise, output } = expectResult<{ noise: Noise; output: string }>(run);
    expect(noise.sigmaFrom).toBe('estimate');
    expect(Math.abs(noise.estimatedSigma - 25)).toBeLessThanOrEqual(3.5); // the estimator's 10% + 1
    expect(noise.sigma).toBe(noise.estimatedSigma);
    expect(noise.blend).toBeGreaterThan(0.95);
    expect(psnr(await pixels(output), clean)).toBeGreaterThan(psnr(await pixels(input), clean) + 3);

    const human = await runCli(['denoise', project, input, join(tmp.dir, 'out25-human.png')], { cwd: tmp.dir });
    expect(human.stdout).toContain(`noise σ ${noise.estimatedSigma.toFixed(1)} (estimated), ${Math.round(noise.blend * 100)}% denoised`);
  });

  it('leaves a clean photo nearly as it is', async () => {
    const input = join(tmp.dir, 'clean.png');
    await png(input, clean);
    const { noise, output } = expectResult<{ noise: Noise; output: string }>(await cli(['denoise', project, input, join(tmp.dir, 'clean-out.png')]));
    expect(noise.estimatedSigma).toBeLessThan(2);
    expect(noise.blend).toBeLessThan(0.2);
    expect(distance(await pixels(output), await pixels(input))).toBeLessThan(1);
  });

  it('--sigma overrides the estimate: a lower σ keeps more of the photo, and the estimate is still reported', async () => {
    const input = join(tmp.dir, 'noisy25b.png');
    await png(input, addNoise(clean, 25 / 255, 4));
    const auto = expectResult<{ noise: Noise; output: string }>(await cli(['denoise', project, input, join(tmp.dir, 'auto.png')]));
    const low = expectResult<{ noise: Noise; output: string }>(await cli(['denoise', project, input, join(tmp.dir, 'low.png'), '--sigma', '4']));
    expect(low.noise).toMatchObject({ sigma: 4, sigmaFrom: 'user', estimatedSigma: auto.noise.estimatedSigma });
    expect(low.noise.blend).toBeCloseTo(0.5, 2);
    const noisy = await pixels(input);
    expect(distance(await pixels(low.output), noisy)).toBeLessThan(0.6 * distance(await pixels(auto.output), noisy));

    const human = await runCli(['denoise', project, input, join(tmp.dir, 'low-human.png'), '--sigma', '4'], { cwd: tmp.dir });
    expect(human.stdout).toContain(`noise σ 4 (--sigma; estimated ${auto.noise.estimatedSigma.toFixed(1)}), 50% denoised`);
  });

  it("lists each photo's σ in a folder's result and CSV report, with --sigma beside the estimate", async () => {
    const input = join(tmp.dir, 'folder');
    mkdirSync(input);
    await png(join(input, 'a15.png'), addNoise(clean, 15 / 255, 5));
    await png(join(input, 'b40.png'), addNoise(clean, 40 / 255, 6));
    const report = join(tmp.dir, 'report.csv');
    const result = expectResult<{ noise: Array<{ path: string; estimatedSigma: number; sigma: number }> }>(
      await cli(['denoise', project, input, join(tmp.dir, 'folder-out'), '--report', report]),
    );
    const [a, b] = result.noise;
    expect([a.path, b.path]).toEqual(['a15.png', 'b40.png']);
    expect(Math.abs(a.estimatedSigma - 15)).toBeLessThanOrEqual(2.5);
    expect(Math.abs(b.estimatedSigma - 40)).toBeLessThanOrEqual(5);
    const csv = readFileSync(report, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('path,status,output,reason,input_sha256,estimated_sigma,sigma_used');
    expect(csv[1].split(',').slice(-2)).toEqual([a.estimatedSigma.toFixed(1), a.estimatedSigma.toFixed(1)]);

    const human = await runCli(['denoise', project, input, join(tmp.dir, 'folder-human')], { cwd: tmp.dir });
    expect(human.stdout).toContain(`Noise σ (0..255) per photo, estimated:\n  a15.png: ${a.estimatedSigma.toFixed(1)}\n  b40.png: ${b.estimatedSigma.toFixed(1)}`);

    const fixed = expectResult<{ noise: Array<{ path: string; estimatedSigma: number; sigma: number }> }>(
      await cli(['denoise', project, input, join(tmp.dir, 'folder-fixed'), '--sigma', '20']),
    );
    expect(fixed.noise).toEqual([
      { path: 'a15.png', estimatedSigma: a.estimatedSigma, sigma: 20 },
      { path: 'b40.png', estimatedSigma: b.estimatedSigma, sigma: 20 },
    ]);
  });
});

describe('--sigma refusals, each saying why', () => {
  it('a σ out of range or not a number', async () => {
    const input = join(tmp.dir, 'noisy25.png');
    for (const bad of ['-3', '500']) {
      expect(expectError(await cli(['denoise', project, input, join(tmp.dir, 'x.png'), '--sigma', bad]))).toContain(
        `--sigma is the noise's standard deviation on 0..255 and must be from 0 to 100, got ${bad}`,
      );
    }
    expect(expectError(await cli(['denoise', project, input, join(tmp.dir, 'x.png'), '--sigma', 'high']))).toContain('--sigma must be a number, got "high"');
  });

  it('in a generator project, which reconstructs through its VAE whatever the noise', async () => {
    const gen = join(tmp.dir, 'gen.vaestudio');
    expectResult(await cli(['new', gen, '--size', '16', '--latent', '8']));
    const message = expectError(await cli(['denoise', gen, join(tmp.dir, 'noisy25.png'), join(tmp.dir, 'g.png'), '--sigma', '10']));
    expect(message).toContain('--sigma is for denoise projects');
  });
});
