import { describe, expect, it } from 'vitest';
import { canonicalRgba, gatherBatch, toPixels, unpremultiply } from './batches';

const level = (v: number) => Math.round((v + 1) * 127.5);

describe('batches with transparency', () => {
  it('gives the model premultiplied colour: every fully transparent pixel looks the same', () => {
    // Two transparent pixels of different hidden colours, one half-transparent white, one opaque orange.
    const rgba = new Uint8Array([255, 0, 0, 0, 0, 255, 0, 0, 255, 255, 255, 128, 255, 128, 0, 255]);
    const x = gatherBatch(rgba, 2, [0], undefined, 4);
    const levels = Array.from(x, level);
    expect(levels.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(levels.slice(4, 8)).toEqual([0, 0, 0, 0]);
    expect(levels.slice(8, 12)).toEqual([128, 128, 128, 128]);
    expect(levels.slice(12, 16)).toEqual([255, 128, 0, 255]);
  });

  it('flips RGBA images whole pixels at a time', () => {
    const rgba = new Uint8Array([10, 20, 30, 255, 40, 50, 60, 255, 0, 0, 0, 0, 0, 0, 0, 0]);
    const x = gatherBatch(rgba, 2, [0], [true], 4);
    expect(Array.from(x.subarray(0, 8), level)).toEqual([40, 50, 60, 255, 10, 20, 30, 255]);
  });

  it('writes straight colour back, and round-trips every colour as precisely as its alpha allows', () => {
    const model = toPixels(gatherBatch(new Uint8Array([200, 100, 50, 128, 9, 9, 9, 0, 1, 2, 3, 255, 255, 0, 0, 1]), 2, [0], undefined, 4));
    expect(Array.from(unpremultiply(model))).toEqual(Array.from(canonicalRgba(new Uint8Array([200, 100, 50, 128, 9, 9, 9, 0, 1, 2, 3, 255, 255, 0, 0, 1]))));
    expect(Array.from(model.subarray(4, 8))).toEqual([0, 0, 0, 0]);
    expect(Array.from(model.subarray(8, 12))).toEqual([1, 2, 3, 255]);
    // Colour a model made brighter than its alpha allows is clamped, not wrapped.
    expect(Array.from(unpremultiply(new Uint8Array([200, 10, 0, 100])))).toEqual([255, 26, 0, 100]);
  });

  it('leaves RGB batches as they were', () => {
    const rgb = new Uint8Array([0, 255, 51, 102, 153, 204]);
    expect(Array.from(gatherBatch(rgb, 1, [0, 1]), level)).toEqual([0, 255, 51, 102, 153, 204]);
  });
});
