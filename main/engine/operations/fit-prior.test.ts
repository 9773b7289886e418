import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../ml/backends';
import { VaeModel } from '../ml/model';
import { MIXTURE_MAX_DIMS } from '../ml/prior/subspace';
import { fitPosteriorPrior, priorComponents } from './fit-prior';

describe('mixture components of the sampling prior', () => {
  it('grow with the images fitted, one per four, from 10 to 200', () => {
    expect([20, 50, 200, 760, 799, 800, 2048].map((n) => priorComponents(n, true))).toEqual([10, 12, 50, 190, 199, 200, 200]);
    // Fitted on the engine's own thread (TF.js only), at most 100: twice the components would hold it twice as long.
    expect([200, 400, 2048].map((n) => priorComponents(n, false))).toEqual([50, 100, 100]);
  });
});

describe('the sampling prior of a latent wider than a mixture is fitted in', () => {
  // The spatial network at 16×16 with latent 192: an 8×8 grid of 3 channels.
  const size = 16;
  const count = 120;
  let model: VaeModel;
  beforeAll(async () => {
    await initBackend('cpu');
    model = VaeModel.create({ size, latent: 192, network: 'spatial' }, 3);
    const data = new Uint8Array(count * size * size * 3);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919 + Math.floor(i / 768) * 131) % 256;
    await fitPosteriorPrior(model, { count, data, imageIds: Array.from({ length: count }, (_, i) => i) }, 5);
  });
  afterAll(() => model?.dispose());

  it('lives in its principal directions, draws whole latents there, and regenerates them from the checkpoint', () => {
    const prior = model.prior!;
    expect(prior.d).toBe(MIXTURE_MAX_DIMS);
    expect(prior.subspace!.basis.length).toBe(MIXTURE_MAX_DIMS * 192);
    // No noise is drawn off those directions (it reads as grain in the images): the fitted latents' detail is.
    expect(prior.subspace!.residualStd).toBe(0);
    expect(prior.subspace!.detail!.residuals.length).toBe(count * 192);
    const { z, prior: from } = model.samplePrior(6, 11);
    expect(from).toBe('fitted');
    expect(z.length).toBe(6 * 192);
    const again = VaeModel.create({ size, latent: 192, network: 'spatial' }, 4);
    try {
      again.load(model.serialize());
      expect(Array.from(again.samplePrior(6, 11).z)).toEqual(Array.from(z));
    } finally {
      again.dispose();
    }
  });
});
