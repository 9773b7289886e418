// vae-studio denoise --quality: "best" (the model on eight orientations, averaged) gives a photo at least as
// clean as "fast" and says what it did; bad values and generator projects are refused with the reason.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, psnr, syntheticPhoto } from '../../../main/engine/ml/denoiser/test-support/images';
import { makeTempFolder } from '../files';
import { ensureBuilt, expectError, expectResult, runCli } from '../run-cli';

const tmp = makeTempFolder('denoise-quality');
const W = 160;
const H = 128;
const clean = syntheticPhoto(W, H, 21);
const project = join(tmp.dir, 'photos.vaestudio');
const input = join(tmp.dir, 'noisy.png');
const cli = (args: string[]) => runCli([...args, '--json'], { cwd: tmp.dir });
const pixels = async (file: string) => Float32Array.from(await sharp(file).removeAlpha().raw().toBuffer(), (v) => v / 255);

beforeAll(async () => {
  await ensureBuilt();
  expectResult(await cli(['new', project, '--kind', 'denoise']));
  const noisy = addNoise(clean, 30 / 255, 4);
  writeFileSync(input, await sharp(Buffer.from(noisy.map((v) => Math.round(v * 255))), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer());
});
afterAll(() => tmp.remove());

describe('denoise --quality', () => {
  it('best is at least as close to the clean photo as fast, and says it averaged eight orientations', async () => {
    expectResult(await cli(['denoise', project, input, join(tmp.dir, 'fast.png')]));
    const human = await runCli(['denoise', project, input, join(tmp.dir, 'best.png'), '--quality', 'best'], { cwd: tmp.dir });
    expect(human.stdout).toContain('best quality: 8 orientations averaged');
    const fast = psnr(await pixels(join(tmp.dir, 'fast.png')), clean);
    const best = psnr(await pixels(join(tmp.dir, 'best.png')), clean);
    const noisy = psnr(await pixels(input), clean);
    console.log(`PSNR dB: noisy ${noisy.toFixed(2)}, fast ${fast.toFixed(2)}, best ${best.toFixed(2)}`);
    expect(fast).toBeGreaterThan(noisy + 3);
    expect(best).toBeGreaterThanOrEqual(fast);
  }, 120_000);

  it('refuses an unknown quality and best in a generator project, saying why', async () => {
    expect(expectError(await cli(['denoise', project, input, join(tmp.dir, 'x.png'), '--quality', 'ultra']))).toContain('--quality must be one of fast, best, got "ultra"');
    const gen = join(tmp.dir, 'gen.vaestudio');
    expectResult(await cli(['new', gen, '--size', '16', '--latent', '8']));
    expect(expectError(await cli(['denoise', gen, input, join(tmp.dir, 'g.png'), '--quality', 'best']))).toContain('--quality best is for denoise projects');
  }, 120_000);
});
