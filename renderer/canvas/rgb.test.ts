import { describe, expect, it } from 'vitest';
import { decodedToRgba } from './rgb';

describe('decoded pixels', () => {
  it('expands RGB to opaque RGBA in order', () => {
    const rgb = Buffer.from([255, 0, 0, 0, 128, 255]).toString('base64');
    expect(Array.from(decodedToRgba({ width: 2, height: 1, rgb }))).toEqual([255, 0, 0, 255, 0, 128, 255, 255]);
  });

  it('passes straight RGBA through, transparency included', () => {
    const rgb = Buffer.from([255, 0, 0, 0, 0, 128, 255, 200]).toString('base64');
    expect(Array.from(decodedToRgba({ width: 2, height: 1, channels: 4, rgb }))).toEqual([255, 0, 0, 0, 0, 128, 255, 200]);
    expect(() => decodedToRgba({ width: 2, height: 2, channels: 4, rgb })).toThrow(/2×2 RGBA image needs 16/);
  });

  it('refuses a buffer of the wrong size with a clear message', () => {
    const rgb = Buffer.from([1, 2, 3]).toString('base64');
    expect(() => decodedToRgba({ width: 2, height: 2, rgb })).toThrow(/2×2 RGB image needs 12/);
  });
});
