import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodeGif, encodePng, makeGrid } from './encode';

function solid(n: number, [r, g, b]: [number, number, number]): Uint8Array {
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) out.set([r, g, b], i * 3);
  return out;
}

describe('encodePng', () => {
  it('round-trips raw RGB and RGBA pixels', async () => {
    const rgb = new Uint8Array(5 * 3 * 3).map((_, i) => (i * 37) & 255);
    const png = await encodePng(rgb, 5, 3);
    const back = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([back.info.width, back.info.height, back.info.channels]).toEqual([5, 3, 3]);
    expect(Buffer.from(rgb).equals(back.data)).toBe(true);
    const rgba = new Uint8Array(4 * 4 * 4).fill(128);
    expect((await sharp(await encodePng(rgba, 4, 4, 4)).metadata()).hasAlpha).toBe(true);
  });

  it('refuses a pixel buffer of the wrong length', async () => {
    await expect(encodePng(new Uint8Array(10), 2, 2)).rejects.toThrow('expected 2×2×3 = 12 bytes, got 10');
  });
});

describe('makeGrid', () => {
  it('lays out n images square-ish with padding around and between', () => {
    const imgs = Array.from({ length: 10 }, (_, k) => solid(8 * 8, [k * 20, 0, 0]));
    const grid = makeGrid(imgs, 8); // 10 → 4 columns, 3 rows
    expect([grid.width, grid.height]).toEqual([4 * 8 + 5 * 2, 3 * 8 + 4 * 2]);
    expect(grid.pixels.length).toBe(grid.width * grid.height * 3);
    const at = (x: number, y: number) => Array.from(grid.pixels.subarray((y * grid.width + x) * 3, (y * grid.width + x) * 3 + 3));
    expect(at(0, 0)).toEqual([255, 255, 255]); // border
    expect(at(2, 2)).toEqual([0, 0, 0]); // image 0
    expect(at(2 + 1 * 10, 2)).toEqual([20, 0, 0]); // image 1, next column
    expect(at(2, 2 + 2 * 10)).toEqual([160, 0, 0]); // image 8, third row
    expect(at(2 + 2 * 10, 2 + 2 * 10)).toEqual([255, 255, 255]); // empty cell after image 9
  });

  it('honours cols, pad and background', () => {
    const grid = makeGrid([solid(4, [1, 2, 3]), solid(4, [1, 2, 3]), solid(4, [1, 2, 3])], 2, 3, 0, [9, 9, 9]);
    expect([grid.width, grid.height]).toEqual([6, 2]);
    expect(makeGrid([solid(4, [0, 0, 0])], 2, undefined, 1).width).toBe(4);
    expect(() => makeGrid([], 2)).toThrow('no images');
    expect(() => makeGrid([new Uint8Array(5)], 2)).toThrow('image 0 has 5 bytes');
  });

  it('lays out RGBA images on a transparent sheet', async () => {
    const sprite = new Uint8Array(2 * 2 * 4).fill(255); // opaque white 2×2
    const grid = makeGrid([sprite, sprite], 2, 2, 1);
    expect(grid.channels).toBe(4);
    expect([grid.width, grid.height]).toEqual([7, 4]);
    const { data, info } = await sharp(await encodePng(grid.pixels, grid.width, grid.height, grid.channels)).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0); // the padding corner
    expect(data[(1 * grid.width + 1) * 4 + 3]).toBe(255); // inside the first sprite
  });
});

describe('encodeGif', () => {
  const w = 12;
  const h = 10;
  const frames = [solid(w * h, [255, 0, 0]), solid(w * h, [0, 255, 0]), solid(w * h, [0, 0, 255]), solid(w * h, [0, 0, 255])];

  for (const palette of ['global', 'per-frame'] as const) {
    it(`writes exactly one GIF frame per input frame (${palette} palette)`, async () => {
      const gif = encodeGif(frames, w, h, { delayMs: 80, loop: true, palette });
      const meta = await sharp(gif).metadata();
      expect(meta.format).toBe('gif');
      expect(meta.pages).toBe(frames.length); // identical consecutive frames are kept too
      expect([meta.width, meta.height]).toEqual([w, h]);
      expect(meta.delay).toEqual([80, 80, 80, 80]);
      expect(meta.loop).toBe(0); // 0 = forever
      // Each frame decodes to its colour.
      const { data: all, info } = await sharp(gif, { pages: -1 }).raw().toBuffer({ resolveWithObject: true });
      expect(info.height).toBe(h * frames.length);
      const expected = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [0, 0, 255]];
      expected.forEach((rgb, k) => {
        const i = k * w * h * info.channels;
        expect(Array.from(all.subarray(i, i + 3))).toEqual(rgb);
      });
    });
  }

  it('plays once or a given number of times when asked', async () => {
    expect((await sharp(encodeGif(frames, w, h, { loop: 3 })).metadata()).loop).toBe(3); // 3 plays in all
    const once = await sharp(encodeGif(frames, w, h, { loop: false })).metadata();
    expect(once.pages).toBe(4);
    expect(once.loop).toBe(1); // no NETSCAPE loop block = a single play
  });

  it('encodes a single frame and gradients within 256 colours', async () => {
    const grad = new Uint8Array(64 * 64 * 3).map((_, i) => (i * 7) & 255);
    const meta = await sharp(encodeGif([grad], 64, 64)).metadata();
    expect(meta.pages).toBe(1);
  });

  it('keeps transparency of RGBA frames as the GIF transparent colour, each frame clearing the last', async () => {
    // Left half opaque (red, then blue), right half transparent; the second frame must not show the first's red.
    const frame = ([r, g, b]: number[]) =>
      new Uint8Array(w * h * 4).map((_, i) => {
        const opaque = Math.floor(i / 4) % w < w / 2;
        return opaque ? [r, g, b, 255][i % 4] : [200, 50, 50, 40][i % 4]; // faint alpha counts as transparent
      });
    const gif = encodeGif([frame([255, 0, 0]), frame([0, 0, 255])], w, h);
    const { data, info } = await sharp(gif, { pages: -1 }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    const pixel = (frameIndex: number, x: number) => Array.from(data.subarray(((frameIndex * h) * w + x) * 4, ((frameIndex * h) * w + x) * 4 + 4));
    expect(pixel(0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixel(0, w - 1)[3]).toBe(0);
    expect(pixel(1, 0)).toEqual([0, 0, 255, 255]);
    expect(pixel(1, w - 1)[3]).toBe(0);
  });

  it('refuses frames of the wrong length', () => {
    expect(() => encodeGif([new Uint8Array(3)], 2, 2)).toThrow('frame 0 has 3 bytes');
    expect(() => encodeGif([], 2, 2)).toThrow('no frames');
  });
});
