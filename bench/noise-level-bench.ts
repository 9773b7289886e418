// npx tsx bench/noise-level-bench.ts — how well the per-photo noise estimate (main/engine/denoise/noise-level.ts)
// reads the noise of skimage's colour photos: clean, Gaussian σ = 5..50, Poisson-Gaussian (camera-like) and
// Gaussian then JPEG, each as an 8-bit file would hold it (clipped, rounded). Prints estimate per photo and case.
// Seconds on 2 cores; no model involved.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { estimateNoise } from '../main/engine/denoise/noise-level';
import { Rng } from '../main/engine/ml/rng';
import { CAMERA_NOISE, cameraNoiseSigma } from './camera-noise';

const DATA = '/usr/lib/python3/dist-packages/skimage/data';
/** The bench:denoise photos first, then others of skimage's colour photos (not tuned on, either). */
const PHOTOS = ['astronaut.png', 'coffee.png', 'chelsea.png', 'motorcycle_left.png', 'rocket.jpg', 'ihc.png', 'motorcycle_right.png', 'retina.jpg', 'hubble_deep_field.jpg'];
const SIGMAS = [0, 5, 10, 15, 25, 35, 50];

async function load(file: string) {
  const { data, info } = await sharp(join(DATA, file)).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { rgb: Float32Array.from(data, (v) => v / 255), width: info.width, height: info.height };
}

const quantise = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255) / 255;

function gaussian(rgb: Float32Array, sigma: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return rgb.map((v) => quantise(v + (sigma / 255) * rng.normal()));
}

function poissonGaussian(rgb: Float32Array, seed: number): Float32Array {
  const rng = new Rng(seed);
  const { a, b } = CAMERA_NOISE;
  return rgb.map((v) => quantise(v + Math.sqrt(a * v + b * b) * rng.normal()));
}

async function jpeg(rgb: Float32Array, width: number, height: number, quality: number): Promise<Float32Array> {
  const bytes = await sharp(Buffer.from(rgb.map((v) => Math.round(v * 255))), { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
  const raw = await sharp(bytes).raw().toBuffer();
  return Float32Array.from(raw, (v) => v / 255);
}

async function main() {
  const photos = PHOTOS.filter((p) => existsSync(join(DATA, p)));
  if (photos.length === 0) throw new Error(`No skimage photos in ${DATA}: apt-get install python3-skimage`);
  const header = ['photo', ...SIGMAS.map((s) => `σ ${s}`), 'camera', 'σ25+JPEG75'];
  console.log(header.join(' | '));
  console.log(header.map(() => '---').join('|'));
  const errors: Record<number, number[]> = {};
  for (const [k, file] of photos.entries()) {
    const { rgb, width, height } = await load(file);
    const row = [file.replace(/\.\w+$/, '')];
    for (const sigma of SIGMAS) {
      const est = estimateNoise(sigma === 0 ? rgb : gaussian(rgb, sigma, 100 * k + sigma), width, height).sigma;
      (errors[sigma] ??= []).push(est - sigma);
      row.push(est.toFixed(1));
    }
    const camera = poissonGaussian(rgb, 7 + k);
    row.push(`${estimateNoise(camera, width, height).sigma.toFixed(1)} (rms ${cameraNoiseSigma(rgb).toFixed(1)})`);
    row.push(estimateNoise(await jpeg(gaussian(rgb, 25, 9 + k), width, height, 75), width, height).sigma.toFixed(1));
    console.log(row.join(' | '));
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(['mean error', ...SIGMAS.map((s) => mean(errors[s]).toFixed(1)), '', ''].join(' | '));
  console.log(['worst |error|', ...SIGMAS.map((s) => Math.max(...errors[s].map(Math.abs)).toFixed(1)), '', ''].join(' | '));
}

await main();
