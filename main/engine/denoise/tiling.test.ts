import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { processTiled, tileStarts, type TiledImage } from './tiling';

/** Deterministic pseudo-random image in [0, 1). */
function makeImage(width: number, height: number, channels = 3, seed = 1): TiledImage {
  const data = new Float32Array(width * height * channels);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32;
  }
  return { data, width, height, channels };
}

const identity = (t: Float32Array) => t;
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('processTiled', () => {
  it('gives exactly fn(image) when the image fits in one tile', async () => {
    const image = makeImage(50, 37);
    const fn = (t: Float32Array, w: number, h: number) => {
      expect([w, h]).toEqual([50, 37]);
      return t.map((v, i) => Math.sqrt(v) * 0.7 + (i % 5) * 0.01);
    };
    const expected = fn(image.data.slice(), 50, 37);
    const out = await processTiled(image, 64, 16, fn);
    expect(out.data).toEqual(expected);
    expect([out.width, out.height, out.channels]).toEqual([50, 37, 3]);
  });

  it('reproduces the input with an identity fn at any size', async () => {
    for (const [w, h, c, tile, overlap] of [
      [1, 1, 1, 8, 2], [17, 5, 3, 8, 3], [64, 64, 3, 32, 8], [65, 63, 4, 32, 8], [300, 41, 1, 32, 31], [129, 257, 3, 64, 0],
    ]) {
      const image = makeImage(w, h, c, w * h);
      const out = await processTiled(image, tile, overlap, identity);
      expect(maxAbsDiff(out.data, image.data)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('keeps a constant image exactly constant', async () => {
    const image: TiledImage = { data: new Float32Array(203 * 117 * 3).fill(0.1), width: 203, height: 117, channels: 3 };
    const out = await processTiled(image, 48, 20, (t) => t.slice());
    expect(out.data.every((v) => v === Math.fround(0.1))).toBe(true);
  });

  it('passes full-size tiles, overlapping by at least `overlap`, covering the image', () => {
    for (const [size, tile, overlap] of [[1000, 256, 32], [257, 256, 32], [512, 256, 0], [3000, 256, 64]]) {
      const starts = tileStarts(size, tile, overlap);
      expect(starts[0]).toBe(0);
      expect(starts.at(-1)! + tile).toBe(size);
      for (let i = 1; i < starts.length; i++) expect(starts[i - 1] + tile - starts[i]).toBeGreaterThanOrEqual(overlap);
    }
  });

  it('leaves no seams: per-tile offsets blend smoothly and borders err no more than interiors', async () => {
    const width = 230;
    const height = 170;
    const tile = 64;
    const overlap = 16;
    const image = makeImage(width, height, 1, 7);
    const truth = image.data.map((v) => v * 0.5 + 0.25);
    let call = 0;
    const offsets = [0.05, -0.04, 0.03, -0.05, 0.02, 0.045, -0.035, 0.01];
    const out = await processTiled(image, tile, overlap, (t) => {
      const offset = offsets[call++ % offsets.length];
      return t.map((v) => v * 0.5 + 0.25 + offset);
    });
    // Pixels covered by more than one tile are the borders; the rest are tile interiors.
    const xs = tileStarts(width, tile, overlap);
    const ys = tileStarts(height, tile, overlap);
    const cover = (p: number, starts: number[]) => starts.filter((s) => p >= s && p < s + tile).length;
    const err = out.data.map((v, i) => v - truth[i]);
    let border = 0;
    let interior = 0;
    let jump = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const e = Math.abs(err[y * width + x]);
        if (cover(x, xs) > 1 || cover(y, ys) > 1) border = Math.max(border, e);
        else interior = Math.max(interior, e);
        if (x > 0) jump = Math.max(jump, Math.abs(err[y * width + x] - err[y * width + x - 1]));
        if (y > 0) jump = Math.max(jump, Math.abs(err[y * width + x] - err[(y - 1) * width + x]));
      }
    }
    expect(interior).toBeGreaterThan(0.04); // the offsets are really there
    expect(border).toBeLessThanOrEqual(interior + 1e-6);
    // A hard cut would jump by the difference of two offsets (up to 0.1); the window spreads it over the overlap.
    expect(jump).toBeLessThan(0.1 / 4);
  });

  it('rejects bad arguments and a tile function returning the wrong size', async () => {
    const image = makeImage(10, 10);
    await expect(processTiled(image, 8, 8, identity)).rejects.toThrow(/overlap/);
    await expect(processTiled({ ...image, width: 11 }, 8, 2, identity)).rejects.toThrow(/expected 11×10×3/);
    await expect(processTiled(image, 8, 2, (t) => t.subarray(1))).rejects.toThrow(/must return a Float32Array/);
  });

  it('processes 4000×3000 with tile 256 holding only a few tiles at once', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const width = 4000;
    const height = 3000;
    const image = makeImage(width, height, 3, 3);
    const tileBytes = 256 * 256 * 3 * 4;
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let calls = 0;
    const out = await processTiled(image, 256, 32, async (t) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      calls += 1;
      if (calls % 4 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
      }
      await Promise.resolve();
      inFlight -= 1;
      return t;
    });
    const outputBytes = width * height * 3 * 4;
    expect(calls).toBe(tileStarts(width, 256, 32).length * tileStarts(height, 256, 32).length);
    expect(maxInFlight).toBe(1);
    expect(peak).toBeLessThan(outputBytes + 8 * tileBytes);
    expect(maxAbsDiff(out.data, image.data)).toBeLessThanOrEqual(1e-6);
  });
});
