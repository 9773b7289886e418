// The whole path a user takes with the CLI on a folder of their own images: new → import → train → info →
// sample → reconstruct → interpolate → eval, plus the flag mistakes they make on a trained project. The project
// is built and trained once (beforeAll); every test below only reads it or runs inference on it.
import { readFileSync, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendReport } from '../../../main/engine/ml/backends';
import type { EvalResult } from '../../../main/engine/operations/evaluate';
import type { interpolate, reconstruct, sample } from '../../../main/engine/operations/generate';
import type { ImportReport } from '../../../main/engine/operations/import-folder';
import type { ProjectInfo } from '../../../main/engine/operations/info';
import type { TrainResult } from '../../../main/engine/operations/train';
import { artJpeg, BAD_FILES, expectNotBlank, makeTempFolder, writeArtFolder, writeBadFiles } from '../files';
import { type CliRun, ensureBuilt, expectError, expectResult, runCli } from '../run-cli';

const SIZE = 32;
const LATENT = 8;
const GOOD = 60;
const BATCH = 16;
const EPOCHS = 2;
const PAD = 2; // the contact sheets' padding between and around tiles

/** What `info` prints: the project info, with the backend always reported. */
type Info = ProjectInfo & { backend: BackendReport };
/** The results of the inference commands: what the engine's functions return. */
type SampleResult = Awaited<ReturnType<typeof sample>>;
type ReconstructResult = Awaited<ReturnType<typeof reconstruct>>;
type InterpolateResult = Awaited<ReturnType<typeof interpolate>>;

const tmp = makeTempFolder('workflow');
const dir = tmp.dir;
const project = join(dir, 'art.vaestudio');
const images = join(dir, 'my images');
const photoA = join(dir, 'photo a.jpg');
const photoB = join(dir, 'photo b.jpg');
const reference = join(dir, 'reference.png');
let importRun: CliRun;
let trainRun: CliRun;
let imported: ImportReport;
let trained: TrainResult;

async function raw(file: string) {
  return sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

/** The pixels of tile (col,row) of a contact sheet of `size`-pixel tiles. */
async function tile(file: string, col: number, row: number, size = SIZE): Promise<Buffer> {
  return sharp(file)
    .removeAlpha()
    .extract({ left: PAD + col * (size + PAD), top: PAD + row * (size + PAD), width: size, height: size })
    .raw()
    .toBuffer();
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

beforeAll(async () => {
  await ensureBuilt();
  await writeArtFolder(images, GOOD, SIZE);
  await writeBadFiles(images, SIZE);
  // Photos of another size and format than the project's: 50×70 JPEGs.
  await writeFile(photoA, await artJpeg(11, 50, 70));
  await writeFile(photoB, await artJpeg(12, 50, 70));

  expectResult(await runCli(['new', project, '--size', String(SIZE), '--latent', String(LATENT), '--json']));
  importRun = await runCli(['import', project, images, '--json']);
  imported = expectResult<ImportReport>(importRun);
  trainRun = await runCli(['train', project, '--epochs', String(EPOCHS), '--batch', String(BATCH), '--json']);
  trained = expectResult<TrainResult>(trainRun);
  // Samples taken right after training, to compare with after the mistakes below.
  expectResult(await runCli(['sample', project, '--count', '9', '--seed', '3', '--out', reference, '--json']));
});

afterAll(() => tmp.remove());

describe('vae-studio on a folder of generated images', () => {
  it('new writes a project file that says its size and latent', async () => {
    expect(existsSync(project)).toBe(true);
    const info = expectResult<Info>(await runCli(['info', project, '--json']));
    expect(info).toMatchObject({ imageSize: SIZE, latentSize: LATENT, kind: 'generate' });
  });

  it('import counts the good images and names every bad file with a reason', () => {
    expect(imported.scanned).toBe(GOOD + BAD_FILES.length);
    expect(imported.added).toBe(GOOD + BAD_FILES.length);
    expect(imported.counts.ok).toBe(GOOD);
    expect(imported.counts.failed).toBe(BAD_FILES.length);
    expect(imported.counts.train + imported.counts.val).toBe(GOOD);
    expect(imported.counts.val).toBeGreaterThanOrEqual(1);
    const reasons = Object.fromEntries(imported.failed.map((f) => [f.path, f.reason]));
    expect(Object.keys(reasons).sort()).toEqual([...BAD_FILES].sort());
    expect(reasons['empty.png']).toMatch(/empty|0 bytes/i);
    expect(reasons['truncated.png']).toMatch(/truncated|corrupt/i);
    expect(reasons['notes.jpg']).toMatch(/not an image|unrecognised|unsupported/i);
    const last = importRun.progress[importRun.progress.length - 1];
    expect(last).toMatchObject({ job: 'import', fraction: 1 });
  });

  it('train reports progress with a rising fraction and an ETA, and completes 2 epochs of steps', () => {
    const stepsPerEpoch = Math.floor(imported.counts.train / BATCH);
    const progress = trainRun.progress.filter((e) => e.job === 'train');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const fractions = progress.map((e) => e.fraction);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!, `fractions ${fractions.join(', ')}`).toBeGreaterThan(fractions[i - 1]!);
    expect(fractions[fractions.length - 1]).toBe(1);
    for (const e of progress) {
      expect(e.etaSeconds === null || (Number.isFinite(e.etaSeconds) && e.etaSeconds >= 0), JSON.stringify(e)).toBe(true);
      expect(e.message).toMatch(/step/);
    }
    expect(progress.some((e) => typeof e.etaSeconds === 'number' && e.etaSeconds > 0 && e.fraction! < 1), 'an ETA is given while training runs').toBe(true);
    expect(progress[progress.length - 1].etaSeconds).toBe(0);

    expect(trained.stopped).toBe('completed');
    expect(trained.resumedFromStep).toBe(0);
    expect(trained.step).toBe(EPOCHS * stepsPerEpoch);
    expect(trained.stepsRun).toBe(EPOCHS * stepsPerEpoch);
    expect(trained.epoch).toBe(EPOCHS);
    expect(trained.checkpointId).toEqual(expect.any(Number));
    expect(trained.backend.name).toEqual(expect.any(String));
  });

  it('info lists the run, its checkpoints, the dataset and the backend with reasons', async () => {
    const info = expectResult<Info>(await runCli(['info', project, '--json']));
    expect(info.images).toEqual(imported.counts);
    expect(info.failed.map((f) => f.path).sort()).toEqual([...BAD_FILES].sort());
    expect(info.runs).toHaveLength(1);
    expect(info.runs[0]).toMatchObject({ id: trained.runId, status: 'completed', latestStep: trained.step });
    expect(info.runs[0].checkpoints.length).toBeGreaterThanOrEqual(1);
    expect(info.runs[0].checkpoints.map((c) => c.id)).toContain(trained.checkpointId);
    expect(info.runs[0].checkpoints.find((c) => c.id === trained.checkpointId)?.step).toBe(trained.step);
    expect(info.backend.name).toBe(trained.backend.name);
    expect(info.backend.reasons.length).toBeGreaterThanOrEqual(1);
    for (const r of info.backend.reasons) {
      expect(r).toMatchObject({ backend: expect.any(String), ok: expect.any(Boolean), reason: expect.any(String) });
      expect(r.reason.length).toBeGreaterThan(0);
    }
    // The backend that runs is one whose check passed; every better one that did not is explained.
    expect(info.backend.reasons.some((r) => r.ok && info.backend.name.startsWith(r.backend))).toBe(true);

    const human = await runCli(['info', project]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(project);
    expect(human.stdout).toMatch(new RegExp(`Run ${trained.runId} \\(completed\\)`));
    expect(human.stdout).toContain(`Backend: ${info.backend.name}`);
  });

  it('a GPU provider that does not start falls back to the CPU, and info says why', async () => {
    // The CUDA provider's libraries are never installed here (npm skips their download), so asking for it first
    // exercises the fallback for real.
    const info = expectResult<Info>(await runCli(['info', project, '--json'], { env: { VAE_STUDIO_ONNX_PROVIDERS: 'cuda,cpu' } }));
    expect(info.backend.name).toBe('onnx');
    const onnx = info.backend.reasons.find((r) => r.backend === 'onnx')!;
    expect(onnx.ok).toBe(true);
    expect(onnx.reason).toMatch(/on the CPU.*not used: cuda: \S/);
    expect(onnx.reason).not.toContain('\n');
  });

  it('sample writes a 3×3 sheet; the same seed gives the same file, another seed another one', async () => {
    const out = (name: string) => join(dir, name);
    const first = expectResult<SampleResult>(await runCli(['sample', project, '--count', '9', '--seed', '3', '--out', out('s.png'), '--json']));
    const side = 3 * SIZE + 4 * PAD;
    expect(first).toMatchObject({ out: out('s.png'), count: 9, seed: 3, width: side, height: side });
    const meta = await sharp(out('s.png')).metadata();
    expect(meta).toMatchObject({ format: 'png', width: side, height: side });
    await expectNotBlank(out('s.png'));

    expectResult(await runCli(['sample', project, '--count', '9', '--seed', '3', '--out', out('s-again.png'), '--json']));
    expectResult(await runCli(['sample', project, '--count', '9', '--seed', '4', '--out', out('s-other.png'), '--json']));
    expect(readFileSync(out('s-again.png')).equals(readFileSync(out('s.png'))), 'same seed → byte-identical PNG').toBe(true);
    expect(readFileSync(reference).equals(readFileSync(out('s.png'))), 'same seed in an earlier process → byte-identical PNG').toBe(true);
    const [a, b] = await Promise.all([raw(out('s.png')), raw(out('s-other.png'))]);
    expect(meanAbsDiff(a.data, b.data), 'another seed → other pictures').toBeGreaterThan(1);
  });

  it('reconstruct takes photos of another size and format and resizes them', async () => {
    const out = join(dir, 'recon.png');
    const result = expectResult<ReconstructResult>(await runCli(['reconstruct', project, photoA, photoB, '--out', out, '--json']));
    // Originals above, reconstructions below: 2 columns × 2 rows of project-sized tiles.
    const width = 2 * SIZE + 3 * PAD;
    const height = 2 * SIZE + 3 * PAD;
    expect(result).toMatchObject({ count: 2, width, height });
    expect(await sharp(out).metadata()).toMatchObject({ format: 'png', width, height });
    // The top row is the photos themselves, brought to the project's size.
    const expectedA = await sharp(photoA).resize(SIZE, SIZE, { fit: 'cover' }).removeAlpha().raw().toBuffer();
    expect(meanAbsDiff(await tile(out, 0, 0), expectedA), 'top-left tile is photo a resized').toBeLessThan(20);
    await expectNotBlank(out);
  });

  it('interpolate writes a 7-frame GIF and a 7-tile strip that starts at a and ends at b', async () => {
    const gif = join(dir, 'morph.gif');
    const strip = join(dir, 'strip.png');
    const g = expectResult<InterpolateResult>(
      await runCli(['interpolate', project, photoA, photoB, '--frames', '7', '--mode', 'linear', '--out', gif, '--json']),
    );
    expect(g).toMatchObject({ frames: 7, mode: 'linear', format: 'gif' });
    const gifMeta = await sharp(gif).metadata();
    expect(gifMeta).toMatchObject({ format: 'gif', width: SIZE, pages: 7 });

    const s = expectResult<InterpolateResult>(
      await runCli(['interpolate', project, photoA, photoB, '--frames', '7', '--mode', 'linear', '--out', strip, '--json']),
    );
    const width = 7 * SIZE + 8 * PAD;
    const height = SIZE + 2 * PAD;
    expect(s).toMatchObject({ frames: 7, format: 'png', width, height });
    expect(await sharp(strip).metadata()).toMatchObject({ format: 'png', width, height });

    // Linear interpolation starts and ends at the reconstructions of a and b (same latent means, same decoder).
    const recon = join(dir, 'recon-ab.png');
    expectResult(await runCli(['reconstruct', project, photoA, photoB, '--out', recon, '--json']));
    const [first, lastFrame, reconA, reconB] = await Promise.all([tile(strip, 0, 0), tile(strip, 6, 0), tile(recon, 0, 1), tile(recon, 1, 1)]);
    expect(meanAbsDiff(first, reconA), 'first frame = reconstruction of a').toBeLessThan(2);
    expect(meanAbsDiff(lastFrame, reconB), 'last frame = reconstruction of b').toBeLessThan(2);
  });

  it('eval reports finite held-out NLL, KL ≥ 0, negative ELBO, bits/dim and PSNR for the latest checkpoint', async () => {
    const r = expectResult<EvalResult>(await runCli(['eval', project, '--json']));
    expect(r.checkpointId).toBe(trained.checkpointId);
    expect(r.step).toBe(trained.step);
    expect(r.images).toBe(imported.counts.val);
    for (const key of ['reconNats', 'klNats', 'negElboNats', 'reconBitsPerDim', 'negElboBitsPerDim', 'psnr'] as const) {
      expect(Number.isFinite(r[key]), `${key} = ${r[key]}`).toBe(true);
    }
    expect(r.reconNats).toBeGreaterThan(0);
    expect(r.klNats).toBeGreaterThanOrEqual(0);
    expect(r.negElboNats).toBeCloseTo(r.reconNats + r.klNats, 3);
    const dims = SIZE * SIZE * 3;
    expect(r.negElboBitsPerDim).toBeCloseTo(r.negElboNats / (dims * Math.LN2), 4);
    expect(r.reconBitsPerDim).toBeCloseTo(r.reconNats / (dims * Math.LN2), 4);
    expect(r.psnr).toBeGreaterThan(0);
    expect(r.psnr).toBeLessThan(100);
  });
});

describe('flag mistakes on a trained project', () => {
  it('--count abc is refused naming the flag and the value, and writes nothing', async () => {
    const out = join(dir, 'count-abc.png');
    const message = expectError(await runCli(['sample', project, '--count', 'abc', '--out', out, '--json']));
    expect(message).toContain('--count');
    expect(message).toContain('abc');
    expect(existsSync(out)).toBe(false);
  });

  it('an invalid --mode is refused naming the flag and the choices, and writes nothing', async () => {
    const out = join(dir, 'mode.gif');
    const message = expectError(await runCli(['interpolate', project, photoA, photoB, '--mode', 'cubic', '--out', out, '--json']));
    expect(message).toContain('--mode');
    expect(message).toContain('cubic');
    expect(message).toMatch(/slerp/);
    expect(existsSync(out)).toBe(false);
  });

  it('an interpolation output with a wrong extension is refused naming the file, and writes nothing', async () => {
    const out = join(dir, 'morph.mp4');
    const message = expectError(await runCli(['interpolate', project, photoA, photoB, '--out', out, '--json']));
    expect(message).toContain(out);
    expect(message).toMatch(/\.gif/);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ['--epochs', '0'],
    ['--lr', '5'],
    ['--batch', '-3'],
  ])('train %s %s is refused in one line naming the flag', async (flag, value) => {
    const message = expectError(await runCli(['train', project, flag, value, '--json']));
    expect(message).toContain(flag);
  });

  it('sample --out F.jpg does not write PNG bytes under a .jpg name', async () => {
    const out = join(dir, 'samples.jpg');
    const run = await runCli(['sample', project, '--count', '4', '--seed', '1', '--out', out, '--json']);
    if (run.code === 0) {
      expectResult(run);
      expect((await sharp(out).metadata()).format, `${out} holds the format its name says`).toBe('jpeg');
    } else {
      expect(expectError(run)).toContain(out);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('an unknown flag is refused naming it', async () => {
    const message = expectError(await runCli(['sample', project, '--bogus', '--out', join(dir, 'x.png'), '--json']));
    expect(message).toContain('--bogus');
  });

  it('after the mistakes the project is intact: same runs, and the same seed still gives the same samples', async () => {
    const info = expectResult<Info>(await runCli(['info', project, '--json']));
    expect(info.images).toEqual(imported.counts);
    expect(info.runs.map((r) => [r.status, r.latestStep])).toEqual([['completed', trained.step]]);
    const out = join(dir, 's-after.png');
    expectResult(await runCli(['sample', project, '--count', '9', '--seed', '3', '--out', out, '--json']));
    expect(readFileSync(out).equals(readFileSync(reference))).toBe(true);
  });
});
