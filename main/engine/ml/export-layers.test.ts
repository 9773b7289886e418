// The exported decoder, loaded back by TF.js itself, computes what our decoder computes.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backends/index.js';
import { DECODER_WEIGHTS_FILE, decoderModelFiles } from './export-layers';
import { VaeModel } from './model';
import { packTensors, paramSpecs } from './params';
import { Rng } from './rng';

/** Random weights with non-zero biases, so a bias copied to the wrong place shows. */
function randomWeights(model: VaeModel, seed: number): Buffer {
  const rng = new Rng(seed);
  return packTensors(
    paramSpecs(model.arch).map((spec) => {
      const n = spec.shape.reduce((a, b) => a * b, 1);
      const bound = spec.bound > 0 ? spec.bound : 0.3;
      return { name: spec.name, shape: spec.shape, values: Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * bound) };
    }),
  );
}

/** Loads files as tf.loadLayersModel would from a folder, through a custom IO handler. */
async function loadBack(files: { modelJson: Record<string, unknown>; weights: Uint8Array }): Promise<tf.LayersModel> {
  const json = JSON.parse(JSON.stringify(files.modelJson)) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  expect(json.weightsManifest[0].paths).toEqual([DECODER_WEIGHTS_FILE]);
  const weightData = files.weights.slice().buffer;
  return tf.loadLayersModel({ load: async () => ({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }) });
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('decoder export as a TF.js layers model', () => {
  const models: VaeModel[] = [];
  afterAll(() => models.forEach((m) => m.dispose()));

  for (const [size, network] of [[16, 'classic'], [32, 'classic'], [16, 'residual'], [32, 'residual'], [32, 'spatial']] as const) {
    it(`gives our decoder's output within 1e-4 for random latents (${network}, ${size}×${size})`, async () => {
      // The spatial network's latent is an 8×8 grid: 2 channels.
      const latent = network === 'spatial' ? 128 : 8;
      const model = VaeModel.create({ size, latent, network }, 1);
      models.push(model);
      model.load(randomWeights(model, size));
      const files = await decoderModelFiles(model, { checkpointId: 3 });
      expect(files.modelJson).toMatchObject({ format: 'layers-model', userDefinedMetadata: { checkpointId: 3, latentSize: latent, imageSize: size } });
      const loaded = await loadBack(files);
      const z = new Rng(9).normals(5 * latent, 1.5);
      const theirs = tf.tidy(() => (loaded.predict(tf.tensor2d(z, [5, latent])) as tf.Tensor).dataSync() as Float32Array);
      const ours = model.decodeMean(z);
      expect(theirs.length).toBe(5 * size * size * 3);
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(theirs[i] - ours[i]));
      expect(worst).toBeLessThan(1e-4);
      expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.1); // not a constant image
      loaded.dispose();
    });
  }

  it('exports twice in one process without name clashes, and holds no tensors after', async () => {
    const model = VaeModel.create({ size: 16, latent: 8 }, 2);
    models.push(model);
    await decoderModelFiles(model);
    const before = tf.memory().numTensors;
    const files = await decoderModelFiles(model);
    expect(tf.memory().numTensors).toBe(before);
    expect(files.weights.byteLength).toBeGreaterThan(0);
  });
});
