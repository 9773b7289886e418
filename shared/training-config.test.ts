// One set of limits and one resume rule for the CLI, the engine and the app's form.
import { describe, expect, it } from 'vitest';
import { trainOptionsSchema } from './services/training';
import { budgetConflict, budgetSeconds, changedFixedSetting, MAX_BUDGET_MINUTES, trainingOptionsSchema } from './training-config';

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

  it('the form and the CLI take the same three choices of time, and quick and good are 5 and 20 minutes', () => {
    const form = { epochs: 10, batch: 32, lr: 1e-3, beta: 1, seed: 0 };
    for (const time of ['quick', 'good', 'best', 'fast', '']) {
      expect(trainOptionsSchema.safeParse({ ...form, time }).success, time).toBe(trainingOptionsSchema.safeParse({ time }).success);
    }
    expect(trainOptionsSchema.parse(form).time, 'a caller that does not say trains by epochs, as before').toBe('best');
    expect(budgetSeconds({ time: 'quick' })).toBe(300);
    expect(budgetSeconds({ time: 'good' })).toBe(1200);
    expect(budgetSeconds({ time: 'best' })).toBeNull();
    expect(budgetSeconds({})).toBeNull();
    expect(budgetSeconds({ minutes: 0.5 })).toBe(30);
  });

  it('a budget in minutes is more than nothing and at most a week, and not given together with a preset', () => {
    for (const [minutes, ok] of [[0.05, true], [MAX_BUDGET_MINUTES, true], [0, false], [-1, false], [MAX_BUDGET_MINUTES + 1, false]] as const) {
      expect(trainingOptionsSchema.safeParse({ minutes }).success, String(minutes)).toBe(ok);
    }
    expect(budgetConflict({ minutes: 3 })).toBeNull();
    expect(budgetConflict({ time: 'good', minutes: 3 })).toBe('--time good and --minutes 3 both say how long to train; give one of them');
  });
});
