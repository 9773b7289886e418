// What each choice of time buys on this machine: quick and good are budgets, so their steps follow the speed and
// stop at a bounded run's end; best trains the asked epochs, so its time follows the speed.
import { describe, expect, it } from 'vitest';
import { presetEstimates } from './training-estimate';

describe('preset estimates', () => {
  it('turns 5 and 20 minutes into steps at the measured speed, and best\'s epochs into time', () => {
    // 16 steps a second at batch 32: 512 examples a second.
    const e = presetEstimates({ batch: 32, from: 0, runEnd: null, bestEnd: 2000, examplesPerSecond: 512 });
    expect(e.quick).toEqual({ steps: 4800, seconds: 300, endsRun: false });
    expect(e.good).toEqual({ steps: 19_200, seconds: 1200, endsRun: false });
    expect(e.best).toEqual({ steps: 2000, seconds: 125, endsRun: true });
  });

  it('a continued run bounded by its epochs ends before a budget that would outlast it', () => {
    const e = presetEstimates({ batch: 10, from: 900, runEnd: 1000, bestEnd: 1500, examplesPerSecond: 10 });
    expect(e.quick).toEqual({ steps: 100, seconds: 100, endsRun: true });
    expect(e.best).toEqual({ steps: 600, seconds: 600, endsRun: true });
  });

  it('without a speed, a budget is still its minutes, and best has steps but no time', () => {
    const e = presetEstimates({ batch: 8, from: 0, runEnd: null, bestEnd: 300, examplesPerSecond: null });
    expect(e.quick).toEqual({ steps: null, seconds: 300, endsRun: false });
    expect(e.best).toEqual({ steps: 300, seconds: null, endsRun: true });
  });
});
