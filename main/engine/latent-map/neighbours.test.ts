import { describe, expect, it } from 'vitest';
import { nearestNeighbours } from './neighbours';

describe('nearestNeighbours', () => {
  it('returns the closest rows by Euclidean distance, nearest first, skipping what is asked', () => {
    // Points on a line at 0, 1, ..., 9 in 2-D (x = i, y = 0); query at 3.2.
    const rows = Array.from({ length: 10 }, (_, i) => [i, 0]).flat();
    const result = nearestNeighbours(rows, [3.2, 0], 3);
    expect(result.map((r) => r.index)).toEqual([3, 4, 2]);
    expect(result[0].distance).toBeCloseTo(0.2, 6);
    expect(nearestNeighbours(rows, [3.2, 0], 2, (i) => i === 3).map((r) => r.index)).toEqual([4, 2]);
    expect(nearestNeighbours(rows, [0, 0], 50)).toHaveLength(10);
    expect(nearestNeighbours([0, 3, 4, 0], [0, 0], 1)[0].distance).toBeCloseTo(3, 6);
  });
});
