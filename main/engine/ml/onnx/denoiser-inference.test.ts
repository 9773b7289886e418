// The denoiser compiled to ONNX gives what the TF.js path gives, on odd and even sides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { DEFAULT_DENOISER } from '../denoiser/architecture';
import { DenoiserModel } from '../denoiser/model';
import { pretrainedDenoiser } from '../denoiser/pretrained';
import { Rng } from '../rng';
import { OnnxDenoiser } from './denoiser-inference';

let model: DenoiserModel;
let onnx: OnnxDenoiser;
beforeAll(async () => {
  await initBackend('cpu');
  model = DenoiserModel.create({ ...DEFAULT_DENOISER }, 0);
  model.load(pretrainedDenoiser(model.config)!.weights);
  onnx = new OnnxDenoiser(model.config, model.params, 2);
});
afterAll(() => {
  onnx.dispose();
  model.dispose();
});

describe('ONNX denoiser', () => {
  for (const [w, h] of [[48, 32], [37, 21]]) {
    it(`matches the TF.js denoiser on a ${w}×${h} image`, () => {
      const rng = new Rng(w);
      const image = new Float32Array(w * h * 3).map(() => rng.next());
      const ref = model.denoise(image, w, h);
      const got = onnx.denoise(image, w, h);
      expect(got.length).toBe(ref.length);
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]));
      expect(worst).toBeLessThan(1e-4);
    });
  }
});
