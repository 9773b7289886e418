// Training pairs made on the fly: a random patch of a stored clean crop, randomly flipped/rotated, and a noisy
// copy with synthetic sensor noise of random strength. Everything comes from the caller's Rng (one per step,
// seeded from the step number), so a resumed run sees exactly the batches an uninterrupted one would.
import type { Rng } from '../rng';

/** Gaussian noise up to this standard deviation (0..1 scale; 60 on 0..255). */
export const MAX_SIGMA = 60 / 255;
/** Share of patches with Poisson-Gaussian (signal-dependent) noise instead of plain Gaussian noise. */
export const POISSON_SHARE = 0.3;
/** Poisson-Gaussian: variance a·x + b², a up to this (shot noise of ≈ 36/255 at white). */
const MAX_SHOT = 0.02;

export interface NoisyPatches {
  /** n × side × side × 3 in [-1, 1]. */
  clean: Float32Array;
  noisy: Float32Array;
}

/**
 * Cuts n patches of `side` from packed crops (`crops` × cropSide² × 3 bytes), crop i = indices[i], and adds noise.
 * Noise is clipped to the valid range, as a camera or an 8-bit file clips it.
 */
export function noisyPatches(data: Uint8Array, cropSide: number, indices: ArrayLike<number>, side: number, rng: Rng): NoisyPatches {
  if (side > cropSide) throw new RangeError(`Patch side ${side} is larger than the stored crops (${cropSide})`);
  const n = indices.length;
  const per = side * side * 3;
  const clean = new Float32Array(n * per);
  const noisy = new Float32Array(n * per);
  for (let b = 0; b < n; b++) {
    const base = indices[b] * cropSide * cropSide * 3;
    const ox = rng.int(cropSide - side + 1);
    const oy = rng.int(cropSide - side + 1);
    const transform = rng.int(8); // bit 0: flip x, bit 1: flip y, bit 2: transpose
    const poisson = rng.next() < POISSON_SHARE;
    const sigma = poisson ? rng.next() * MAX_SIGMA * 0.5 : rng.next() * MAX_SIGMA;
    const shot = poisson ? rng.next() * MAX_SHOT : 0;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        let sx = transform & 4 ? y : x;
        let sy = transform & 4 ? x : y;
        if (transform & 1) sx = side - 1 - sx;
        if (transform & 2) sy = side - 1 - sy;
        const s = base + ((oy + sy) * cropSide + ox + sx) * 3;
        const d = b * per + (y * side + x) * 3;
        for (let c = 0; c < 3; c++) {
          const v = data[s + c] / 255;
          const std = shot > 0 ? Math.sqrt(shot * v + sigma * sigma) : sigma;
          const nv = v + std * rng.normal();
          clean[d + c] = v * 2 - 1;
          noisy[d + c] = (nv < 0 ? 0 : nv > 1 ? 1 : nv) * 2 - 1;
        }
      }
    }
  }
  return { clean, noisy };
}
