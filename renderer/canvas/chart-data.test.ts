import { describe, expect, it } from 'vitest';
import { alignLosses } from './chart-data';
import type { Metric } from '../../shared/services/training';

const m = (step: number, split: Metric['split'], total: number): Metric => ({ runId: 1, step, epoch: 0, split, recon: total - 1, kl: 1, total });

describe('loss chart data', () => {
  it('aligns train and validation by step, sorted, with gaps as null', () => {
    const data = alignLosses([m(20, 'train', 5), m(10, 'train', 9), m(20, 'validation', 6)], 'total');
    expect(data).toEqual([[10, 20], [9, 5], [null, 6]]);
  });

  it('picks the requested loss', () => {
    expect(alignLosses([m(1, 'train', 5)], 'recon')[1]).toEqual([4]);
  });
});
