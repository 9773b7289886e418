import { describe, expect, it } from 'vitest';
import { keyframePath } from './path';

describe('keyframe interpolation path', () => {
  it('has exactly the requested number of frames, starting and ending on the keys', () => {
    const path = keyframePath([[0, 0], [10, 0], [10, 10]], 9, 'linear');
    expect(path).toHaveLength(9);
    expect(path[0]).toEqual([0, 0]);
    expect(path[4]).toEqual([10, 0]);
    expect(path[8]).toEqual([10, 10]);
  });

  it('follows the arc in spherical mode (norm kept for keys of equal length)', () => {
    const path = keyframePath([[1, 0], [0, 1]], 5, 'slerp');
    for (const p of path) expect(Math.hypot(p[0], p[1])).toBeCloseTo(1, 5);
  });
});
