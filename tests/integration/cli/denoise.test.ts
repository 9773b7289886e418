// vae-studio denoise, as a user runs it: one photo (format, colour profile and orientation kept, strength), a
// folder with a report, a generator project's own-resolution denoising, and each refusal with its own error.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addNoise, psnr, syntheticPhoto } from '../../../main/engine/ml/denoiser/test-support/images';
import { makeTempFolder, writeArtFolder } from '../files';
import { type CliRun, ensureBuilt, expectError, expectResult, runCli } from '../run-cli';

const tmp = makeTempFolder('denoise');
const isRoot = process.getuid?.() === 0;
const W = 96;
const H = 64;
const clean = syntheticPhoto(W, H, 3);
const project = join(tmp.dir, 'photos.vaestudio');

function raw(rgb: Float32Array) {
  return sharp(Buffer.from(rgb.map((v) => Math.round(v * 255))), { raw: { width: W, height: H, channels: 3 } });
}
async function noisyPng(file: string, seed = 1): Promise<void> {
  writeFileSync(file, await raw(addNoise(clean, 25 / 255, seed)).png().toBuffer());
}
async function pixels(file: string): Promise<Float32Array> {
  return Float32Array.from(await sharp(file).removeAlpha().raw().toBuffer(), (v) => v / 255);
}
const cli = (args: string[], opts = {}) => runCli([...args, '--json'], { cwd: tmp.dir, ...opts });
function refusal(run: CliRun): { message: string; code: unknown } {
  const message = expectError(run);
  return { message, code: (run.events.at(-1)!.details as { code?: string } | undefined)?.code };
}

beforeAll(async () => {
  await ensureBuilt();
  chmodSync(tmp.dir, 0o777);
  expectResult(await cli(['new', project, '--kind', 'denoise']));
});
afterAll(() => tmp.remove());

describe('denoise one photo', () => {
  it('writes a cleaner image of the same size, with progress; the original is untouched', async () => {
    const input = join(tmp.dir, 'noisy.png');
    await noisyPng(input);
    const before = readFileSync(input);
    const run = await cli(['denoise', project, input, join(tmp.dir, 'clean.png')]);
    const result = expectResult<{ output: string; width: number; height: number }>(run);
    expect(result).toMatchObject({ output: join(tmp.dir, 'clean.png'), width: W, height: H, status: 'done' });
    expect(run.progress.length).toBeGreaterThan(0);
    expect(psnr(await pixels(result.output), clean)).toBeGreaterThan(psnr(await pixels(input), clean) + 3);
    expect(readFileSync(input)).toEqual(before);

    // The name is taken now: rename (default) picks another, skip leaves it, strength 0 returns the input.
    const again = expectResult<{ output: string }>(await cli(['denoise', project, input, join(tmp.dir, 'clean.png'), '--strength', '0']));
    expect(again.output).toBe(join(tmp.dir, 'clean (1).png'));
    expect(await pixels(again.output)).toEqual(await pixels(input));
    expect(expectResult(await cli(['denoise', project, input, join(tmp.dir, 'clean.png'), '--on-conflict', 'skip']))).toMatchObject({ status: 'skipped' });
  });

  it('keeps the format and the colour profile, and applies the EXIF orientation', async () => {
    const input = join(tmp.dir, 'rotated.jpg');
    writeFileSync(input, await raw(addNoise(clean, 20 / 255)).withIccProfile('p3').withMetadata({ orientation: 6 }).jpeg({ quality: 95 }).toBuffer());
    const output = join(tmp.dir, 'rotated-out.jpg');
    expectResult(await cli(['denoise', project, input, output]));
    const [inMeta, outMeta] = [await sharp(input).metadata(), await sharp(output).metadata()];
    expect(outMeta).toMatchObject({ format: 'jpeg', width: H, height: W }); // turned upright
    expect(outMeta.orientation ?? 1).toBe(1);
    expect(outMeta.icc).toEqual(inMeta.icc);
  });
});

describe('denoise a folder', () => {
  it('denoises every image into the same relative paths, reports failures and writes a CSV report', async () => {
    const input = join(tmp.dir, 'in');
    mkdirSync(join(input, 'sub'), { recursive: true });
    await noisyPng(join(input, 'a.png'), 1);
    await noisyPng(join(input, 'sub', 'b.png'), 2);
    writeFileSync(join(input, 'notes.png'), 'not a picture');
    const report = join(tmp.dir, 'report.csv');
    const run = await cli(['denoise', project, input, join(tmp.dir, 'out'), '--report', report]);
    const result = expectResult(run);
    expect(result).toMatchObject({ done: 2, skipped: 0, failed: [{ path: 'notes.png', reason: 'not an image (unrecognised format)' }] });
    expect(run.progress.some((e) => e.fraction !== null && e.etaSeconds !== null)).toBe(true);
    expect(readdirSync(join(tmp.dir, 'out')).sort()).toEqual(['a.png', 'sub']);
    const csv = readFileSync(report, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('path,status,output,reason,input_sha256,estimated_sigma,sigma_used');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2).join(',')).sort()).toEqual(['a.png,done', 'notes.png,failed', 'sub/b.png,done']);
  });
});

describe('refusals, each with its own error', () => {
  it('the output file is the input file', async () => {
    const input = join(tmp.dir, 'same.png');
    await noisyPng(input);
    const r = refusal(await cli(['denoise', project, input, input]));
    expect(r).toMatchObject({ code: 'same-file', message: expect.stringContaining('The output is the input file') });
  });

  it('the output folder is the input folder, or inside it', async () => {
    const input = join(tmp.dir, 'apart');
    mkdirSync(input);
    await noisyPng(join(input, 'a.png'));
    expect(refusal(await cli(['denoise', project, input, input])).code).toBe('same-folder');
    const inside = refusal(await cli(['denoise', project, input, join(input, 'out')]));
    expect(inside).toMatchObject({ code: 'output-inside-input', message: expect.stringContaining('is inside the input folder') });
    expect(readdirSync(input)).toEqual(['a.png']);
  });

  it('a file that is not an image', async () => {
    writeFileSync(join(tmp.dir, 'text.jpg'), 'hello');
    const r = refusal(await cli(['denoise', project, join(tmp.dir, 'text.jpg'), join(tmp.dir, 'text-out.jpg')]));
    expect(r).toMatchObject({ code: 'unreadable-input', message: expect.stringContaining('not an image') });
  });

  it.skipIf(!isRoot)('an unreadable file, and an output folder the user may not write (as uid 65534)', async () => {
    const asUser = { uid: 65534, gid: 65534 };
    const input = join(tmp.dir, 'secret.png');
    await noisyPng(input);
    chmodSync(input, 0o000);
    chmodSync(project, 0o666);
    const r = refusal(await cli(['denoise', project, input, join(tmp.dir, 'secret-out.png')], asUser));
    expect(r).toMatchObject({ code: 'unreadable-input', message: expect.stringMatching(/secret\.png: unreadable: permission denied/) });

    const locked = join(tmp.dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    await noisyPng(join(tmp.dir, 'ok.png'));
    const p = refusal(await cli(['denoise', project, join(tmp.dir, 'ok.png'), join(locked, 'ok.png')], asUser));
    expect(p).toMatchObject({ code: 'permission', message: `Cannot write to ${locked}: permission denied` });
  });

  describe.skipIf(!isRoot)('a read-only output disk', () => {
    const disk = join(tmp.dir, 'ro');
    afterEach(() => execFileSync('umount', ['-l', disk]));
    it('is refused before anything is denoised', async () => {
      mkdirSync(disk, { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', disk]);
      const input = join(tmp.dir, 'ro-in');
      mkdirSync(input);
      await noisyPng(join(input, 'a.png'));
      const r = refusal(await cli(['denoise', project, input, disk]));
      expect(r).toEqual({ code: 'read-only', message: `Cannot write to ${disk}: read-only` });
    });
  });
});

it('a denoise project refuses to sample, saying why', async () => {
  const message = expectError(await cli(['sample', project, '--out', join(tmp.dir, 's.png')]));
  expect(message).toContain('is a denoise project');
});

describe('a generator project', () => {
  it('denoises through encode → decode at its own resolution', async () => {
    const gen = join(tmp.dir, 'gen.vaestudio');
    const images = join(tmp.dir, 'art');
    await writeArtFolder(images, 12, 16);
    expectResult(await cli(['new', gen, '--size', '16', '--latent', '8']));
    expectResult(await cli(['import', gen, images]));
    expectResult(await cli(['train', gen, '--epochs', '1', '--batch', '4']));
    const input = join(tmp.dir, 'for-gen.png');
    await noisyPng(input);
    const result = expectResult(await cli(['denoise', gen, input, join(tmp.dir, 'gen-out.png')]));
    expect(result).toMatchObject({ width: 16, height: 16 });
    expect(await sharp(join(tmp.dir, 'gen-out.png')).metadata()).toMatchObject({ format: 'png', width: 16, height: 16 });
    // Asked for a .jpg, it still writes PNG, and names it so.
    const named = expectResult<{ output: string }>(await cli(['denoise', gen, input, join(tmp.dir, 'gen-out.jpg')]));
    expect(named.output).toBe(join(tmp.dir, 'gen-out.png').replace('gen-out.png', 'gen-out (1).png'));
    expect(await sharp(named.output).metadata()).toMatchObject({ format: 'png' });
  });
});
