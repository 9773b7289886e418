// vae-studio denoise --quality: "best" (the larger shipped denoiser, for a project on the shipped weights) gives a
// real photo cleaner than "fast" does and says what it ran; bad values and generator projects are refused with the
// reason.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, psnr } from '../../../main/engine/ml/denoiser/test-support/images';
import { makeTempFolder } from '../files';
import { ensureBuilt, expectError, expectResult, runCli } from '../run-cli';

const tmp = makeTempFolder('denoise-quality');
// A real photo: a generated image's flat shading says little about which denoiser keeps a face's detail.
const PHOTO = resolve(import.meta.dirname, '../../fixtures/photos/astronaut-crop.png');
const W = 160;
const H = 128;
let clean: Float32Array;
const project = join(tmp.dir, 'photos.vaestudio');
const input = join(tmp.dir, 'noisy.png');
const cli = (args: string[]) => runCli([...args, '--json'], { cwd: tmp.dir });
const pixels = async (file: string) => Float32Array.from(await sharp(file).removeAlpha().raw().toBuffer(), (v) => v / 255);

beforeAll(async () => {
  await ensureBuilt();
  expectResult(await cli(['new', project, '--kind', 'denoise']));
  clean = await pixels(PHOTO);
  const noisy = addNoise(clean, 30 / 255, 4);
  writeFileSync(input, await sharp(Buffer.from(noisy.map((v) => Math.round(v * 255))), { raw: { width: W, height: H, channels: 3 } }).png().toBuffer());
});
afterAll(() => tmp.remove());

describe('denoise --quality', () => {
  it('best is closer to the clean photo than fast, and says it ran the larger denoiser', async () => {
    expectResult(await cli(['denoise', project, input, join(tmp.dir, 'fast.png')]));
    const human = await runCli(['denoise', project, input, join(tmp.dir, 'best.png'), '--quality', 'best'], { cwd: tmp.dir });
    expect(human.stdout).toContain('best quality: the larger shipped denoiser');
    const fast = psnr(await pixels(join(tmp.dir, 'fast.png')), clean);
    const best = psnr(await pixels(join(tmp.dir, 'best.png')), clean);
    const noisy = psnr(await pixels(input), clean);
    console.log(`PSNR dB: noisy ${noisy.toFixed(2)}, fast ${fast.toFixed(2)}, best ${best.toFixed(2)}`);
    expect(fast).toBeGreaterThan(noisy + 3);
    expect(best).toBeGreaterThan(fast);
  }, 120_000);

  it('refuses an unknown quality and best in a generator project, saying why', async () => {
    expect(expectError(await cli(['denoise', project, input, join(tmp.dir, 'x.png'), '--quality', 'ultra']))).toContain('--quality must be one of fast, best, got "ultra"');
    const gen = join(tmp.dir, 'gen.vaestudio');
    expectResult(await cli(['new', gen, '--size', '16', '--latent', '8']));
    expect(expectError(await cli(['denoise', gen, input, join(tmp.dir, 'g.png'), '--quality', 'best']))).toContain('--quality best is for denoise projects');
  }, 120_000);
});
