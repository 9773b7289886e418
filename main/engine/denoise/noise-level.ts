// How noisy is a photo? A Gaussian-equivalent standard deviation per colour channel, in 8-bit units (0..255),
// estimated from the photo alone, so denoising can be set to the noise it meets.
//
// Method: the finest diagonal Haar detail of the luminance, HH = (a − b − c + d) / 2 over each 2×2 block. HH
// of a smooth region (any plane, so also gradients) is zero and HH is orthonormal, so in a flat region it is the
// noise itself. Natural photos are mostly smooth at that scale but not everywhere: texture and edges add to HH,
// and a median over the whole photo (skimage's estimate_sigma) reads texture as noise once it covers much of the
// photo. So the photo is cut into patches of 16×16 pixels (64 HH values each) and the estimate comes from the
// quietest ones: a low quantile of the patch RMS, divided by that quantile's value for pure noise (χ² with 64
// degrees of freedom). Patches near black or white are left out (unless only blue is, which carries 3% of the
// luma noise): clipping there hides part of the noise. Per-channel σ follows from the luminance's, assuming the
// channels' noise is independent (as in the synthetic noise training uses).
//
// Signal-dependent (camera) noise reads close to its RMS over the photo. JPEG at quality 75 keeps the finest luma
// noise (σ 25 reads ≈ 25); stronger compression removes it first and reads low (σ 25 at quality 50: ≈ 9).
// `npm run bench:noise-level` measures these on skimage's photos.

/** Rec. 601 luma weights; σ of luma noise = LUMA_GAIN × σ per channel when channels are independent. */
const LUMA = [0.299, 0.587, 0.114] as const;
const LUMA_GAIN = Math.hypot(...LUMA);
/** Patch side in pixels (even). */
const PATCH = 16;
const COEFFS = (PATCH / 2) ** 2;
/** Which patches count: the QUANTILE-th quietest. */
const QUANTILE = 0.1;

export interface NoiseEstimate {
  /** Gaussian-equivalent noise σ per channel, 0..255. */
  sigma: number;
  /** Patches it was read from (few: a small photo, or one mostly black or white). */
  patches: number;
}

/** Estimates the noise of an RGB photo, `rgb` width × height × 3 in [0, 1] (HWC); under 16 px a side: σ 0, 0 patches. */
export function estimateNoise(rgb: Float32Array, width: number, height: number): NoiseEstimate {
  if (rgb.length !== width * height * 3) throw new RangeError(`Expected ${width}×${height}×3 values, got ${rgb.length}`);
  const px = Math.floor(width / PATCH);
  const py = Math.floor(height / PATCH);
  if (px === 0 || py === 0) return { sigma: 0, patches: 0 };
  const rms: number[] = [];
  const level: number[][] = []; // per patch and channel: distance of the channel's mean from black or white
  for (let by = 0; by < py; by++) {
    for (let bx = 0; bx < px; bx++) {
      let ss = 0;
      const sum = [0, 0, 0];
      for (let y = by * PATCH; y < (by + 1) * PATCH; y += 2) {
        for (let x = bx * PATCH; x < (bx + 1) * PATCH; x += 2) {
          const i = (y * width + x) * 3;
          const j = i + width * 3;
          let hh = 0;
          for (let c = 0; c < 3; c++) {
            const a = rgb[i + c], b = rgb[i + 3 + c], d = rgb[j + c], e = rgb[j + 3 + c];
            hh += LUMA[c] * (a - b - d + e);
            sum[c] += a + b + d + e;
          }
          ss += (hh * 255) ** 2 / 4;
        }
      }
      rms.push(Math.sqrt(ss / COEFFS));
      level.push(sum.map((s) => Math.min(s, PATCH * PATCH - s) * (255 / (PATCH * PATCH))));
    }
  }
  // Every patch first, then again without those whose level is within 2σ of black or white: clipped noise reads
  // low, so each pass can raise σ and exclude more. A few passes settle it.
  let sigma = quietest(rms) / LUMA_GAIN;
  let patches = rms.length;
  for (let pass = 0; pass < 4; pass++) {
    const kept = rms.filter((_, k) => clippedShare(level[k], 2 * sigma) < 0.05);
    if (kept.length < Math.max(4, rms.length / 20)) break; // nearly all black or white: keep what we have
    const next = quietest(kept) / LUMA_GAIN;
    patches = kept.length;
    if (Math.abs(next - sigma) < 0.05) break;
    sigma = next;
  }
  return { sigma, patches };
}

/** Share of the luma noise variance carried by channels whose level is within `margin` of black or white. */
function clippedShare(level: number[], margin: number): number {
  let share = 0;
  for (let c = 0; c < 3; c++) if (level[c] <= margin) share += LUMA[c] ** 2;
  return share / LUMA_GAIN ** 2;
}

/** The QUANTILE-th patch RMS over what it is for pure noise. */
function quietest(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const at = sorted[Math.min(sorted.length - 1, Math.floor(QUANTILE * sorted.length))];
  return at / PURE_NOISE_QUANTILE;
}

/**
 * RMS of COEFFS standard normals at QUANTILE: sqrt(χ²_k quantile / k), by Wilson–Hilferty (within 0.1% at k = 64).
 * z = Φ⁻¹(0.1) = −1.2816.
 */
const PURE_NOISE_QUANTILE = (() => {
  const k = COEFFS;
  const z = -1.2815516;
  const q = k * (1 - 2 / (9 * k) + z * Math.sqrt(2 / (9 * k))) ** 3;
  return Math.sqrt(q / k);
})();
