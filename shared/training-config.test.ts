// One set of limits and one resume rule for the CLI, the engine and the app's form.
import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from './services/training';
import { changedFixedSetting, trainingOptionsSchema } from './training-config';

const saved = { batch: 32, lr: 1e-3, beta: 1, warmupSteps: 100, seed: 7 };

describe('training config', () => {
  it('the form accepts exactly what the CLI accepts for the settings they share', () => {
    for (const [key, value] of [['batch', 4096], ['batch', 4097], ['beta', 1000], ['beta', 1001], ['seed', 2 ** 32 - 1], ['lr', 0]] as const) {
      const form = { epochs: 10, batch: 32, lr: 1e-3, beta: 1, seed: 0, [key]: value };
      expect(trainOptionsSchema.safeParse(form).success, `${key} ${value}`).toBe(trainingOptionsSchema.safeParse({ [key]: value }).success);
    }
  });

  it('refuses a fixed setting asked differently, warm-up included, and ignores settings not asked for', () => {
    expect(changedFixedSetting(saved, {})).toBeNull();
    expect(changedFixedSetting(saved, { batch: 32, seed: 7 })).toBeNull();
    expect(changedFixedSetting(saved, { warmupSteps: 5 })).toEqual({ key: 'warmupSteps', saved: 100, asked: 5 });
    expect(changedFixedSetting(saved, { lr: 0.01, beta: 2 })).toEqual({ key: 'lr', saved: 1e-3, asked: 0.01 });
  });
});
