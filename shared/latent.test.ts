import { describe, expect, it } from 'vitest';
import { interpolationPath, lerp, slerp } from './latent';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe('latent interpolation', () => {
  it('starts at a and ends at b in both modes', () => {
    const a = [1, 2, -1];
    const b = [-3, 0.5, 2];
    for (const mode of ['linear', 'slerp'] as const) {
      const path = interpolationPath(a, b, 5, mode);
      expect(path).toHaveLength(5);
      path[0].forEach((v, i) => expect(v).toBeCloseTo(a[i], 5));
      path[4].forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
    }
  });

  it('slerp keeps the norm between two equal-length codes where lerp shrinks it', () => {
    const a = [3, 0, 0, 0];
    const b = [0, 3, 0, 0];
    expect(norm(slerp(a, b, 0.5))).toBeCloseTo(3, 5);
    expect(norm(lerp(a, b, 0.5))).toBeCloseTo(Math.SQRT2 * 1.5, 5);
  });

  it('slerp falls back to lerp for parallel codes', () => {
    const mid = slerp([1, 1], [2, 2], 0.5);
    expect(mid[0]).toBeCloseTo(1.5, 5);
    expect(mid[1]).toBeCloseTo(1.5, 5);
  });
});
