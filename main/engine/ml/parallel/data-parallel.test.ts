// Splitting a batch across threads must not change what training computes (beyond float rounding).
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../adam';
import { initBackend } from '../backends';
import { VaeModel } from '../model';
import { Rng } from '../rng';
import { DataParallelTrainer } from './data-parallel';

const config = { size: 16, latent: 8 };
const batch = 6;

beforeAll(async () => {
  await initBackend('wasm');
});

function data(seed: number) {
  const rng = new Rng(seed);
  return { x: Float32Array.from({ length: batch * 16 * 16 * 3 }, () => rng.next() * 2 - 1), eps: rng.normals(batch * config.latent) };
}

async function curve(threads: number, steps: number) {
  const model = VaeModel.create(config, 4);
  const adam = new Adam(model.params, { lr: 1e-3 });
  const trainer = await DataParallelTrainer.create(model, threads, 'wasm');
  const losses: number[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      const { x, eps } = data(s);
      losses.push((await trainer.step(adam, VaeModel.batch(x, eps, batch), 0.5)).total);
    }
    return { losses, weights: model.serialize() };
  } finally {
    await trainer.close();
    adam.dispose();
    model.dispose();
  }
}

describe('data-parallel training', () => {
  let single: Awaited<ReturnType<typeof curve>>;

  it('follows the single-thread loss curve within float tolerance', async () => {
    single = await curve(1, 6);
    const three = await curve(3, 6);
    for (let i = 0; i < 6; i++) expect(Math.abs(three.losses[i] - single.losses[i]) / single.losses[i]).toBeLessThan(1e-4);
    expect(single.losses[5]).toBeLessThan(single.losses[0]);
  });

  it('is reproducible: the same thread count gives identical weights', async () => {
    const a = await curve(2, 3);
    const b = await curve(2, 3);
    expect(Buffer.compare(a.weights, b.weights)).toBe(0);
  });

  it('matches the model’s own single-thread step exactly when run on one thread', async () => {
    const model = VaeModel.create(config, 4);
    const adam = new Adam(model.params, { lr: 1e-3 });
    try {
      const { x, eps } = data(0);
      const direct = model.trainStep(adam, x, eps, 0.5);
      expect(direct.total).toBeCloseTo(single.losses[0], 3);
    } finally {
      adam.dispose();
      model.dispose();
    }
  });
});
