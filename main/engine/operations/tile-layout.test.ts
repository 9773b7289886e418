import { describe, expect, it } from 'vitest';
import { processTiled, tileStarts } from '../denoise/tiling';
import { TILE, TILE_OVERLAP, tileLayout } from './denoiser-session';

describe('tileLayout', () => {
  it('uses as few tiles per axis as the size allows, each just large enough, and one per thread at least', () => {
    expect(tileLayout(512, 512)).toEqual({ width: 272, height: 272 }); // 2 × 2, not 3 × 3 of the largest size
    expect(tileLayout(100, 80)).toEqual({ width: 100, height: 80 }); // one tile
    expect(tileStarts(451, tileLayout(451, 300, 2).width, TILE_OVERLAP)).toHaveLength(2); // split for two threads
    const big = tileLayout(6000, 4000, 2);
    expect(Math.max(big.width, big.height)).toBeLessThanOrEqual(TILE);
  });

  it('rectangular tiles cover the image: an identity tile function gives the input back', async () => {
    const data = Float32Array.from({ length: 451 * 300 * 3 }, (_, i) => (i % 97) / 97);
    const out = await processTiled({ data, width: 451, height: 300, channels: 3 }, tileLayout(451, 300, 2), TILE_OVERLAP, (t) => t);
    expect(out.data).toEqual(data);
  });
});
