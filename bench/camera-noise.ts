// The camera-like noise the denoise benches add: Poisson-Gaussian, variance a·x + b² per channel on [0, 1]
// values, independent per pixel and channel. a = 0.01 (shot noise: σ ≈ 25/255 at white) and b = 0.02 (read
// noise ≈ 5/255) are in the range Foi et al. (2008, "Practical Poissonian-Gaussian noise modeling") fit to raw
// data of small-sensor cameras at high ISO (≈ ISO 1600–3200 on a phone). Added here to the sRGB photo, not to
// raw data: no demosaicing, colour matrix or tone curve, so it is cleaner than a real phone's noise.
export const CAMERA_NOISE = Object.freeze({ a: 0.01, b: 0.02 });

/** The RMS (Gaussian-equivalent) σ on 0..255 that camera noise has on this clean photo (HWC in [0, 1]). */
export function cameraNoiseSigma(clean: Float32Array): number {
  let sum = 0;
  for (const v of clean) sum += CAMERA_NOISE.a * v + CAMERA_NOISE.b ** 2;
  return Math.sqrt(sum / clean.length) * 255;
}
