// npm run bench:denoise — the shipped denoiser against non-local means on skimage's colour photos (which it was
// not trained on: astronaut, coffee, chelsea, motorcycle_left, rocket, whole images), for the noise it will meet:
// Gaussian noise at sigma 15, 25 and 50 (0..255), camera-like Poisson-Gaussian noise (bench/camera-noise.ts) and
// Gaussian sigma 25 saved as JPEG quality 75 (sharp). The noisy images, non-local means and all the metrics come
// from bench/reference/denoise_reference.py (Debian's python3-skimage) in the same run, so every method sees the
// same seeded noise and is scored by the same code. Ours is scored three ways from one run of the network, as
// `vae-studio denoise` blends it (noise-blend.ts): at the sigma estimated from the noisy photo (what `denoise` does
// by default), at the true sigma (what `--sigma` would give; none for JPEG), and fully denoised (blend 1, what
// `denoise` did before it read the noise). Speed: megapixels per second of the denoising itself (ours: noise
// estimate + tiled network on all cores, as `vae-studio denoise` runs it; non-local means: skimage, fast mode).
// Ours sees what `vae-studio denoise` gives the network: for a JPEG with subsampled colour, the photo with the colour
// noise subsampling removed put back (ml/denoiser/jpeg-chroma.ts).
// Usage: npm run bench:denoise -- [--backend auto|onnx|wasm] [--project P.vaestudio [--checkpoint ID]]
//          [--jpeg-chroma 4:2:0|4:4:4] [--noise gaussian,camera,jpeg] [--no-best] [--fine-tuned P.vaestudio]
// --jpeg-chroma: the JPEG row's chroma subsampling (default 4:2:0, what cameras and sharp write; 4:4:4 keeps full-
// resolution colour, to see what subsampling does to the noise). --noise: only these rows (default all three kinds).
// --project scores a denoise project's weights instead of the shipped ones: the checkpoint named by --checkpoint
// (ids: `vae-studio info P`), else the project's newest checkpoint.
// --fine-tuned P adds a column: the weights denoise project P denoises with (its best checkpoint on its held-out
// crops, or the shipped weights while none beat them), in the same run, against the shipped fast weights.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { estimateNoise } from '../main/engine/denoise/noise-level';
import { processTiled } from '../main/engine/denoise/tiling';
import { type BackendChoice, initBackend } from '../main/engine/ml/backends';
import { BEST_DENOISER, DEFAULT_DENOISER, macsPerPixel } from '../main/engine/ml/denoiser/architecture';
import { DenoiserModel } from '../main/engine/ml/denoiser/model';
import { blendForNoise } from '../main/engine/ml/denoiser/noise-blend';
import { pretrainedDenoiser } from '../main/engine/ml/denoiser/pretrained';
import { tileFnFor } from '../main/engine/ml/denoiser/self-ensemble';
import { pickCheckpoint } from '../main/engine/operations/model-io';
import { denoiserConfigFor } from '../main/engine/operations/training/denoise-kind';
import { openProject } from '../main/engine/store';
import { bestQualityRunner, chooseDenoiserWeights, denoiserInput, TILE, TILE_OVERLAP, tileLayout, type TileRunner, tileRunner } from '../main/engine/operations/denoiser-session';
import { CAMERA_NOISE } from './camera-noise';

const PYTHON = '/usr/bin/python3';
const REFERENCE = resolve('bench/reference/denoise_reference.py');
const OUT = resolve('bench/out/denoise');

/** Ours, blended three ways from one run of the network; and --quality best for the estimated σ. */
const OURS = ['ours-est', 'ours-true', 'ours-full', 'best-est', 'tuned-est'] as const;
type Ours = (typeof OURS)[number];
/** JPEG quality for the "σ 25 + JPEG" row: a phone's or a web upload's typical setting. */
const JPEG_QUALITY = 75;

interface Scores {
  psnr: number;
  ssim: number;
  seconds?: number;
}
interface Case extends Partial<Record<Ours, Scores>> {
  image: string;
  kind: 'gaussian' | 'camera' | 'jpeg';
  label: string;
  /** The noise's true (Gaussian-equivalent) σ on 0..255; null where there is none (after JPEG). */
  sigma: number | null;
  /** σ the engine estimated from the noisy photo. */
  estimated?: number;
  stem: string;
  width: number;
  height: number;
  noisy: Scores;
  nlm: Scores;
  outputs?: Ours[];
}

function python(args: string[], input?: string): string {
  return execFileSync(PYTHON, [REFERENCE, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'inherit'] });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const readF32 = (file: string) => new Float32Array(readFileSync(file).buffer.slice(0));

/** The noisy image as a JPEG of JPEG_QUALITY would hold it, decoded again (sharp, as the app reads photos). */
async function throughJpeg(c: Case, chromaSubsampling: string): Promise<void> {
  const file = join(OUT, `${c.stem}.noisy.f32`);
  const bytes = Buffer.from(readF32(file).map((v) => Math.round(Math.min(1, Math.max(0, v)) * 255)));
  const jpeg = await sharp(bytes, { raw: { width: c.width, height: c.height, channels: 3 } }).jpeg({ quality: JPEG_QUALITY, chromaSubsampling }).toBuffer();
  const decoded = await sharp(jpeg).raw().toBuffer();
  writeFileSync(file, Float32Array.from(decoded, (v) => v / 255));
}

function loadModel(project: string | undefined, checkpoint: string | undefined): { model: DenoiserModel; weights: number | 'pretrained'; source: string } {
  if (checkpoint !== undefined && project === undefined) throw new Error('--checkpoint needs --project');
  if (project === undefined) {
    const pre = pretrainedDenoiser(DEFAULT_DENOISER);
    if (!pre) throw new Error('The pretrained denoiser (resources/denoiser) is missing');
    const model = DenoiserModel.create(DEFAULT_DENOISER, 0);
    model.load(pre.weights);
    return { model, weights: 'pretrained', source: pre.path };
  }
  const store = openProject(project, { readonly: true });
  try {
    const settings = store.getSettings();
    if (settings.kind !== 'denoise') throw new Error(`${project} is not a denoise project`);
    const id = checkpoint === undefined ? undefined : Number(checkpoint);
    if (id !== undefined && !Number.isInteger(id)) throw new Error(`--checkpoint: not a checkpoint id: ${checkpoint}`);
    const chosen = pickCheckpoint(store, id);
    const model = DenoiserModel.create(denoiserConfigFor(settings), 0);
    model.load(chosen.weights);
    return { model, weights: chosen.id, source: `${project} checkpoint ${chosen.id} (step ${chosen.step})` };
  } finally {
    store.close();
  }
}

/** The weights a denoise project denoises with, chosen as the product chooses them. */
function projectChoice(project: string): { model: DenoiserModel; source: string } {
  const store = openProject(project, { readonly: true });
  try {
    const settings = store.getSettings();
    if (settings.kind !== 'denoise') throw new Error(`${project} is not a denoise project`);
    const model = DenoiserModel.create(denoiserConfigFor(settings), 0);
    const shipped = pretrainedDenoiser(model.config);
    const choice = chooseDenoiserWeights(store, undefined, shipped !== undefined);
    if (choice.kind === 'pretrained') {
      model.load(shipped!.weights);
      return { model, source: `${project}: ${choice.why}` };
    }
    const chosen = pickCheckpoint(store, choice.id);
    model.load(chosen.weights);
    return { model, source: `${project}: ${choice.why ?? `checkpoint ${chosen.id} (step ${chosen.step})`}` };
  } finally {
    store.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    allowNegative: true,
    options: {
      backend: { type: 'string', default: 'auto' },
      project: { type: 'string' },
      checkpoint: { type: 'string' },
      'jpeg-chroma': { type: 'string', default: '4:2:0' },
      noise: { type: 'string', default: 'gaussian,camera,jpeg' },
      best: { type: 'boolean', default: true },
      'fine-tuned': { type: 'string' },
    },
  });
  const kinds = values.noise!.split(',');
  for (const k of kinds) if (!['gaussian', 'camera', 'jpeg'].includes(k)) throw new Error(`--noise takes gaussian, camera, jpeg; got ${k}`);
  const chroma = values['jpeg-chroma']!;
  if (chroma !== '4:2:0' && chroma !== '4:4:4') throw new Error(`--jpeg-chroma must be 4:2:0 or 4:4:4, got ${chroma}`);
  mkdirSync(OUT, { recursive: true });
  console.log('Preparing noisy images (skimage), JPEG-compressing one set (sharp), running non-local means (skimage)…');
  const prepared = JSON.parse(python(['prepare', OUT, String(CAMERA_NOISE.a), String(CAMERA_NOISE.b)])) as { cases: Case[] };
  prepared.cases = prepared.cases.filter((c) => kinds.includes(c.kind));
  for (const c of prepared.cases) if (c.kind === 'jpeg') await throughJpeg(c, chroma);
  const manifest = JSON.parse(python(['nlm', OUT], JSON.stringify(prepared))) as { cases: Case[] };

  const backend = await initBackend(values.backend as BackendChoice);
  const { model, weights, source } = loadModel(values.project, values.checkpoint);
  const pool = await tileRunner(model, backend);
  // --quality best as the product runs it for these weights (denoiser-session.ts).
  const best = bestQualityRunner(weights, backend);
  const bestPool = values.best ? await best.runner() : undefined;
  if (values.best) console.log(`Best: ${best.describe}${bestPool ? `, ${Math.round(macsPerPixel(BEST_DENOISER))} multiply-adds/pixel` : ''}`);
  console.log(`Ours: ${source}, ${Math.round(macsPerPixel(model.config))} multiply-adds/pixel, on ${backend.name} (${backend.reasons.find((r) => r.ok)?.reason}), ${availableParallelism()} core(s), tiles up to ${TILE} px, overlap ${TILE_OVERLAP}`);
  // Warm-up (weights packed, workers' code compiled) outside the timings.
  await pool.denoise(new Float32Array(TILE * TILE * 3), TILE, TILE);
  await bestPool?.denoise(new Float32Array(TILE * TILE * 3), TILE, TILE);
  const tuned = values['fine-tuned'] === undefined ? undefined : projectChoice(values['fine-tuned']);
  const tunedPool: TileRunner | undefined = tuned && (await tileRunner(tuned.model, backend));
  if (tuned) console.log(`Fine-tuned: ${tuned.source}`);
  await tunedPool?.denoise(new Float32Array(TILE * TILE * 3), TILE, TILE);
  type TileFn = Parameters<typeof processTiled>[3];
  const fastFn: TileFn = (t, w, h) => pool.denoise(t, w, h);
  const bestFn: TileFn = bestPool ? (t, w, h) => bestPool.denoise(t, w, h) : tileFnFor('best', fastFn);
  try {
    const work = manifest.cases.map((c) => {
      const data = readF32(join(OUT, `${c.stem}.noisy.f32`));
      const start = performance.now();
      c.estimated = estimateNoise(data, c.width, c.height).sigma;
      const estimateSeconds = (performance.now() - start) / 1000;
      const photo = { rgb: data, format: c.kind === 'jpeg' ? 'jpeg' : 'raw', chromaSubsampling: chroma };
      const input = denoiserInput(photo, { estimatedSigma: c.estimated, sigma: c.estimated, sigmaFrom: 'estimate', blend: 1 });
      return { c, data, input, estimateSeconds, tiles: tileLayout(c.width, c.height, pool.concurrency), blend: blendForNoise(c.estimated) };
    });
    // Each tier runs over every photo before the next starts, as a person uses one of them: interleaved photo by
    // photo, fast measured 25–40 % slower (each switch finds the other session's threads asleep, its weights out of
    // cache). Seconds include the noise estimate.
    const pass = async (fn: TileFn, each: (w: (typeof work)[number], out: Float32Array, seconds: number) => void) => {
      for (const w of work) {
        const t0 = performance.now();
        const out = await processTiled({ data: w.input, width: w.c.width, height: w.c.height, channels: 3 }, w.tiles, TILE_OVERLAP, fn, { concurrency: pool.concurrency });
        each(w, out.data, w.estimateSeconds + (performance.now() - t0) / 1000);
      }
    };
    const blended = (w: (typeof work)[number], out: Float32Array, blend: number) => w.data.map((v, i) => v + blend * (out[i] - v));
    await pass(fastFn, (w, out, seconds) => {
      const blends: Partial<Record<Ours, number>> = { 'ours-est': w.blend, 'ours-full': 1 };
      if (w.c.sigma !== null) blends['ours-true'] = blendForNoise(w.c.sigma);
      for (const [name, blend] of Object.entries(blends) as [Ours, number][]) {
        writeFileSync(join(OUT, `${w.c.stem}.${name}.f32`), blended(w, out, blend));
        w.c[name] = { psnr: NaN, ssim: NaN, seconds };
      }
      w.c.outputs = Object.keys(blends) as Ours[];
    });
    const extra = async (name: Ours, fn: TileFn) =>
      pass(fn, (w, out, seconds) => {
        writeFileSync(join(OUT, `${w.c.stem}.${name}.f32`), blended(w, out, w.blend));
        w.c[name] = { psnr: NaN, ssim: NaN, seconds };
        w.c.outputs!.push(name);
      });
    if (values.best) await extra('best-est', bestFn);
    if (tunedPool) await extra('tuned-est', (t, w, h) => tunedPool.denoise(t, w, h));
  } finally {
    await pool.close();
    await best.close();
    await tunedPool?.close();
    tuned?.model.dispose();
  }
  const scored = JSON.parse(python(['score', OUT], JSON.stringify(manifest))) as { cases: Case[] };
  printTable(scored.cases, chroma);
}

function printTable(cases: Case[], chroma: string): void {
  const f = (n: number | undefined, d = 2, w = 6) => (n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d)).padStart(w);
  const mps = (cs: Case[], key: 'nlm' | 'ours-est' | 'best-est' | 'tuned-est') => cs.reduce((a, c) => a + c.width * c.height, 0) / 1e6 / cs.reduce((a, c) => a + c[key]!.seconds!, 0);
  console.log(`\nImages: ${[...new Set(cases.map((c) => c.image))].join(', ')} (skimage; whole images) · ${availableParallelism()} cores`);
  console.log(`Camera-like: Poisson-Gaussian, variance ${CAMERA_NOISE.a}·x + ${CAMERA_NOISE.b}² on [0, 1]; its true σ is the RMS over each photo. JPEG: quality ${JPEG_QUALITY}, chroma ${chroma}.`);
  console.log('PSNR dB / SSIM, mean over the images; σ on 0..255. ours @est: blend for the estimated σ (the default); @true: for the true σ; full: blend 1.\n');
  console.log('ours best: --quality best (see the Best line above); fine-tuned: --fine-tuned\'s weights (see that line); both blended for the estimated σ.\n');
  console.log('noise        | true σ  est. σ | noisy          | NL-means              MP/s | ours @est             MP/s | ours @true     | ours full      | @est − NLM dB | ours best             MP/s | best − NLM dB | fine-tuned     | tuned − fast dB');
  console.log('-------------|----------------|----------------|----------------------------|----------------------------|----------------|----------------|---------------|----------------------------|---------------|----------------|----------------');
  for (const label of [...new Set(cases.map((c) => c.label))]) {
    const cs = cases.filter((c) => c.label === label);
    const avg = (key: 'noisy' | 'nlm' | Ours, m: 'psnr' | 'ssim') => (cs.every((c) => c[key]) ? mean(cs.map((c) => c[key]![m])) : undefined);
    const pair = (key: 'noisy' | 'nlm' | Ours) => `${f(avg(key, 'psnr'))} ${f(avg(key, 'ssim'), 3)}`;
    const trueSigma = cs.every((c) => c.sigma !== null) ? mean(cs.map((c) => c.sigma!)) : undefined;
    console.log(
      `${label.padEnd(12)} | ${f(trueSigma, 1)}  ${f(mean(cs.map((c) => c.estimated!)), 1)} | ${pair('noisy')}  | ${pair('nlm')}        ${f(mps(cs, 'nlm'))} | ` +
        `${pair('ours-est')}        ${f(mps(cs, 'ours-est'))} | ${pair('ours-true')}  | ${pair('ours-full')}  | ${f(avg('ours-est', 'psnr')! - avg('nlm', 'psnr')!, 2, 13)} | ` +
        (avg('best-est', 'psnr') === undefined ? '–' : `${pair('best-est')}        ${f(mps(cs, 'best-est'))} | ${f(avg('best-est', 'psnr')! - avg('nlm', 'psnr')!, 2, 13)}`) +
        (avg('tuned-est', 'psnr') === undefined ? '' : ` | ${pair('tuned-est')} | ${f(avg('tuned-est', 'psnr')! - avg('ours-est', 'psnr')!, 2, 15)}`),
    );
  }
  console.log('\nPer image: true σ / estimated σ · PSNR dB NL-means / ours @est');
  for (const c of cases) console.log(`  ${c.stem.padEnd(26)} ${f(c.sigma ?? undefined, 1)} / ${f(c.estimated, 1)} · ${f(c.nlm.psnr)} / ${f(c['ours-est']!.psnr)}`);
}

await main();
