// npm run bench:denoise — the shipped denoiser against non-local means on skimage's colour photos (which it was
// not trained on), Gaussian noise at sigma 15, 25 and 50 (0..255). The noisy images, non-local means and all the
// metrics come from bench/reference/denoise_reference.py (Debian's python3-skimage) in the same run, so both
// methods see the same seeded noise and are scored by the same code. Speed: megapixels per second of the
// denoising itself (ours: tiled, all cores, as `vae-studio denoise` runs it; non-local means: skimage, fast mode).
// Usage: npm run bench:denoise -- [--backend auto|onnx|wasm] [--project P.vaestudio [--checkpoint ID]]
// --project scores a denoise project's weights instead of the shipped ones: the checkpoint named by --checkpoint
// (ids: `vae-studio info P`), else the project's newest checkpoint.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { processTiled } from '../main/engine/denoise/tiling';
import { parseArgs } from 'node:util';
import { type BackendChoice, initBackend } from '../main/engine/ml/backends';
import { DEFAULT_DENOISER, macsPerPixel } from '../main/engine/ml/denoiser/architecture';
import { DenoiserModel } from '../main/engine/ml/denoiser/model';
import { pretrainedDenoiser } from '../main/engine/ml/denoiser/pretrained';
import { pickCheckpoint } from '../main/engine/operations/model-io';
import { denoiserConfigFor } from '../main/engine/operations/training/denoise-kind';
import { openProject } from '../main/engine/store';
import { TILE, TILE_OVERLAP, tileLayout, tileRunner } from '../main/engine/operations/denoiser-session';

const PYTHON = '/usr/bin/python3';
const REFERENCE = resolve('bench/reference/denoise_reference.py');
const OUT = resolve('bench/out/denoise');

interface Scores {
  psnr: number;
  ssim: number;
  seconds?: number;
}
interface Case {
  image: string;
  sigma: number;
  stem: string;
  width: number;
  height: number;
  noisy: Scores;
  nlm: Scores;
  ours?: Scores;
}

function python(args: string[], input?: string): string {
  return execFileSync(PYTHON, [REFERENCE, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'inherit'] });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  console.log('Preparing noisy images and running non-local means (skimage)…');
  const manifest = JSON.parse(python(['prepare', OUT])) as { seed: number; cases: Case[] };

  const { values } = parseArgs({
    options: { backend: { type: 'string', default: 'auto' }, project: { type: 'string' }, checkpoint: { type: 'string' } },
  });
  if (values.checkpoint !== undefined && values.project === undefined) throw new Error('--checkpoint needs --project');
  const backend = await initBackend(values.backend as BackendChoice);
  let model: DenoiserModel;
  let source: string;
  if (values.project !== undefined) {
    const store = openProject(values.project, { readonly: true });
    try {
      const settings = store.getSettings();
      if (settings.kind !== 'denoise') throw new Error(`${values.project} is not a denoise project`);
      const id = values.checkpoint === undefined ? undefined : Number(values.checkpoint);
      if (id !== undefined && !Number.isInteger(id)) throw new Error(`--checkpoint: not a checkpoint id: ${values.checkpoint}`);
      const checkpoint = pickCheckpoint(store, id);
      model = DenoiserModel.create(denoiserConfigFor(settings), 0);
      model.load(checkpoint.weights);
      source = `${values.project} checkpoint ${checkpoint.id} (step ${checkpoint.step})`;
    } finally {
      store.close();
    }
  } else {
    const pre = pretrainedDenoiser(DEFAULT_DENOISER);
    if (!pre) throw new Error('The pretrained denoiser (resources/denoiser) is missing');
    model = DenoiserModel.create(DEFAULT_DENOISER, 0);
    model.load(pre.weights);
    source = pre.path;
  }
  const pool = await tileRunner(model, backend);
  console.log(`Ours: ${source}, ${Math.round(macsPerPixel(model.config))} multiply-adds/pixel, on ${backend.name} (${backend.reasons.find((r) => r.ok)?.reason}), ${availableParallelism()} core(s), tiles up to ${TILE} px, overlap ${TILE_OVERLAP}`);
  // Warm-up (weights packed, workers' code compiled) outside the timings.
  await pool.denoise(new Float32Array(TILE * TILE * 3), TILE, TILE);
  try {
    for (const c of manifest.cases) {
      const data = new Float32Array(readFileSync(join(OUT, `${c.stem}.noisy.f32`)).buffer.slice(0));
      const start = performance.now();
      const tiles = tileLayout(c.width, c.height, pool.concurrency);
      const out = await processTiled({ data, width: c.width, height: c.height, channels: 3 }, tiles, TILE_OVERLAP, (t, w, h) => pool.denoise(t, w, h), {
        concurrency: pool.concurrency,
      });
      c.ours = { psnr: NaN, ssim: NaN, seconds: (performance.now() - start) / 1000 };
      writeFileSync(join(OUT, `${c.stem}.ours.f32`), out.data);
    }
  } finally {
    await pool.close();
  }
  const scored = JSON.parse(python(['score', OUT], JSON.stringify(manifest))) as { cases: Case[] };
  printTable(scored.cases);
}

function printTable(cases: Case[]): void {
  const f = (n: number, d = 2) => n.toFixed(d).padStart(6);
  const mps = (cs: Case[], key: 'nlm' | 'ours') => cs.reduce((a, c) => a + c.width * c.height, 0) / 1e6 / cs.reduce((a, c) => a + c[key]!.seconds!, 0);
  console.log(`\nImages: ${[...new Set(cases.map((c) => c.image))].join(', ')} · ${availableParallelism()} cores\n`);
  console.log('sigma | noisy PSNR  SSIM | NL-means PSNR  SSIM   MP/s | ours PSNR  SSIM   MP/s | ours − NLM dB');
  console.log('------|------------------|--------------------------|----------------------|--------------');
  for (const sigma of [...new Set(cases.map((c) => c.sigma))]) {
    const cs = cases.filter((c) => c.sigma === sigma);
    const avg = (key: 'noisy' | 'nlm' | 'ours', m: 'psnr' | 'ssim') => mean(cs.map((c) => c[key]![m]));
    console.log(
      `${String(sigma).padStart(5)} | ${f(avg('noisy', 'psnr'))}  ${f(avg('noisy', 'ssim'), 3)} | ${f(avg('nlm', 'psnr'))}        ${f(avg('nlm', 'ssim'), 3)} ${f(mps(cs, 'nlm'))} | ` +
        `${f(avg('ours', 'psnr'))}    ${f(avg('ours', 'ssim'), 3)} ${f(mps(cs, 'ours'))} | ${f(avg('ours', 'psnr') - avg('nlm', 'psnr'))}`,
    );
  }
  console.log('\nPer image (PSNR dB, NL-means / ours):');
  for (const c of cases) console.log(`  ${c.stem.padEnd(22)} ${f(c.nlm.psnr)} / ${f(c.ours!.psnr)}`);
}

await main();
