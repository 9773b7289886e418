// Would 8-bit hidden layers make the shipped denoisers faster without making them worse? Post-training
// quantization (bench/int8/quantize.ts): ranges of every hidden activation measured on noisy skimage photos that
// bench:denoise does not use (retina, ihc, motorcycle_right, hubble_deep_field, color; σ 5–50), then PSNR at σ 25
// and MP/s, float against int8, on bench:denoise's five photos (whole images, one session, no blend, no tiling).
// --layer i quantizes only hidden convolution i (to see which layers lose most); --clip f shrinks every range to
// f of what was measured (values beyond it saturate).
//   npx tsx bench/denoise-int8.ts [--networks fast,best] [--layer i] [--clip 1] [--threads 2]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { initBackend } from '../main/engine/ml/backends';
import { denoiserParamSpecs } from '../main/engine/ml/denoiser/architecture';
import { DenoiserModel } from '../main/engine/ml/denoiser/model';
import { pretrainedDenoiserPath, SHIPPED_DENOISERS, type ShippedNetwork } from '../main/engine/ml/denoiser/pretrained';
import { denoiserGraph } from '../main/engine/ml/onnx/denoiser-inference';
import { onnxWeights } from '../main/engine/ml/onnx/layout';
import { encodeModel } from '../main/engine/ml/onnx/proto';
import { SyncSession } from '../main/engine/ml/onnx/sync-session';
import { Rng } from '../main/engine/ml/rng';
import { SKIMAGE_DATA_DIR } from './quality/datasets/photo-crops';
import { accumulateRanges, calibrationTensors, hiddenConvs, quantizeConvs, type Ranges, withTensorOutputs } from './int8/quantize';

const { values } = parseArgs({
  options: {
    networks: { type: 'string', default: 'fast,best' },
    layer: { type: 'string' },
    clip: { type: 'string', default: '1' },
    threads: { type: 'string', default: '2' },
  },
});
const threads = Number(values.threads);
const clip = Number(values.clip);
await initBackend('wasm');

interface Photo {
  pixels: Float32Array;
  width: number;
  height: number;
}
async function load(file: string, maxSide: number): Promise<Photo> {
  const { data, info } = await sharp(join(SKIMAGE_DATA_DIR, file)).removeAlpha().resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer({ resolveWithObject: true });
  const width = info.width & ~1;
  const height = info.height & ~1;
  const pixels = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width * 3; x++) pixels[y * width * 3 + x] = data[y * info.width * 3 + x] / 255;
  return { pixels, width, height };
}
const rng = new Rng(7);
const addNoise = (img: Float32Array, sigma: number) => {
  const n = rng.normals(img.length);
  return img.map((v, i) => v + (n[i] * sigma) / 255);
};
const psnr = (out: Float32Array, clean: Float32Array) => {
  let se = 0;
  for (let i = 0; i < out.length; i++) se += (Math.min(1, Math.max(0, out[i])) - clean[i]) ** 2;
  return 10 * Math.log10(out.length / se);
};

const calibration = await Promise.all(['retina.jpg', 'ihc.png', 'motorcycle_right.png', 'hubble_deep_field.jpg', 'color.png'].map((f) => load(f, 384)));
const test = await Promise.all(['astronaut.png', 'coffee.png', 'chelsea.png', 'motorcycle_left.png', 'rocket.jpg'].map((f) => load(f, 4096)));
const noisyTest = test.map((t) => addNoise(t.pixels, 25));

for (const network of values.networks!.split(',') as ShippedNetwork[]) {
  const cfg = SHIPPED_DENOISERS[network].config;
  const model = DenoiserModel.create(cfg, 0);
  model.load(readFileSync(pretrainedDenoiserPath(network)!));
  const graph = denoiserGraph(cfg, onnxWeights(model.params, denoiserParamSpecs(cfg)));
  model.dispose();
  // Hidden = stride 1; the stride-2 input layer and the transposed output layer stay float.
  const convs = hiddenConvs(graph, (n) => (n.attrs?.strides as number[] | undefined)?.[0] !== 2);
  const chosen = values.layer === undefined ? convs : [convs[Number(values.layer)]];
  const probe = SyncSession.create(encodeModel(withTensorOutputs(graph, calibrationTensors(convs))), threads);
  const ranges: Ranges = {};
  for (const c of calibration) {
    for (const sigma of [5, 15, 25, 50]) {
      const outputs = probe.run({ x: addNoise(c.pixels, sigma) }, { x: [1, c.height, c.width, 3] });
      delete outputs.y;
      accumulateRanges(ranges, outputs);
    }
  }
  probe.dispose();
  for (const r of Object.values(ranges)) {
    r.min *= clip;
    r.max *= clip;
  }
  const sessions = { float: SyncSession.create(encodeModel(graph), threads), int8: SyncSession.create(encodeModel(quantizeConvs(graph, chosen, ranges)), threads) };
  const score = { float: { db: 0, ms: 0 }, int8: { db: 0, ms: 0 } };
  let pixels = 0;
  test.forEach((t, i) => {
    pixels += t.width * t.height;
    // Alternate the two, twice each; the second pass is timed (the first builds each session's plans).
    for (let pass = 0; pass < 2; pass++) {
      for (const kind of ['float', 'int8'] as const) {
        const t0 = performance.now();
        const y = sessions[kind].run({ x: noisyTest[i] }, { x: [1, t.height, t.width, 3] }).y;
        if (pass === 1) {
          score[kind].ms += performance.now() - t0;
          score[kind].db += psnr(y, t.pixels) / test.length;
        }
      }
    }
  });
  const mps = (ms: number) => (pixels / ms / 1e3).toFixed(2);
  console.log(
    `${network}: ${chosen.length} of ${convs.length} hidden convolutions in int8${clip !== 1 ? `, ranges × ${clip}` : ''} · σ 25 PSNR float ${score.float.db.toFixed(2)} dB, int8 ${score.int8.db.toFixed(2)} dB (${(score.int8.db - score.float.db).toFixed(2)}) · MP/s float ${mps(score.float.ms)}, int8 ${mps(score.int8.ms)}`,
  );
  sessions.float.dispose();
  sessions.int8.dispose();
}
