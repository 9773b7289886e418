import { describe, expect, it } from 'vitest';
import { denoiseAllOrientations, ORIENTATIONS, orient, tileFnFor, unorient } from './self-ensemble';

const image = (w: number, h: number, c: number) => Float32Array.from({ length: w * h * c }, (_, i) => i);

describe('denoising in every orientation', () => {
  it('turns a tile into eight different orientations and each back exactly', () => {
    const [w, h] = [5, 3];
    const src = image(w, h, 3);
    const seen = new Set<string>();
    for (let k = 0; k < ORIENTATIONS; k++) {
      const o = orient(src, w, h, 3, k);
      seen.add(Array.from(o).join());
      expect(unorient(o, w, h, 3, k)).toEqual(src);
    }
    expect(seen.size).toBe(8);
    // Orientation 4 is the transpose: pixel (x, y) lands at (y, x) of a 3-wide image.
    const t = orient(src, w, h, 3, 4);
    expect(Array.from(t.subarray((1 * 3 + 2) * 3, (1 * 3 + 2) * 3 + 3))).toEqual(Array.from(src.subarray((2 * w + 1) * 3, (2 * w + 1) * 3 + 3)));
  });

  it('hands the model each orientation with its own width and height, and averages what comes back', async () => {
    const [w, h] = [4, 2];
    const src = image(w, h, 3);
    const sizes: string[] = [];
    // A "model" that adds its view's number: the average adds the mean of 0..7.
    const out = await denoiseAllOrientations((t, tw, th) => (sizes.push(`${tw}x${th}`), t.map((v) => v + sizes.length - 1)), src, w, h);
    expect(sizes).toEqual(['4x2', '4x2', '4x2', '4x2', '2x4', '2x4', '2x4', '2x4']);
    out.forEach((v, i) => expect(v).toBeCloseTo(src[i] + 3.5, 5));
  });

  it('runs one view at the fast quality', async () => {
    let calls = 0;
    await tileFnFor('fast', (t) => (calls++, t))(image(2, 2, 3), 2, 2);
    expect(calls).toBe(1);
  });
});
