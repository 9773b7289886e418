import { describe, expect, it } from 'vitest';
import { TrainingEta } from './eta';

describe('TrainingEta', () => {
  it('says nothing until it has measured this session, then counts only the steps since the resume', () => {
    // Resumed at step 161 of 1995: 2 steps a second from now on.
    const eta = new TrainingEta(161);
    const seen: (number | null)[] = [];
    for (let t = 0; t <= 20; t++) seen.push(eta.update(161 + 2 * t, 1995, 100 + t));
    expect(seen.slice(0, 3), 'estimating at first').toEqual([null, null, null]);
    const last = seen.at(-1)!;
    expect(last).toBeCloseTo((1995 - 201) / 2, -1);
  });

  it('does not swing with one slow second', () => {
    const eta = new TrainingEta(0);
    let now = 0;
    let step = 0;
    const values: number[] = [];
    for (let t = 0; t < 60; t++) {
      now += 1;
      step += t === 30 ? 1 : 10; // one second at a tenth of the speed
      const v = eta.update(step, 10_000, now);
      if (v !== null && t > 20) values.push(v);
    }
    const max = Math.max(...values);
    const min = Math.min(...values);
    expect(max / min, 'the estimate stays within 20%').toBeLessThan(1.2);
  });
});
