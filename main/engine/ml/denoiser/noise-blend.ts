// How much of the shipped denoiser's output a photo of noise level σ should get. The denoiser is blind: it was
// trained on noise of random strength (σ up to 60 on 0..255, synthetic-noise.ts) and is not told the level, so
// it cleans every photo as if it were noisy, and smooths away some fine detail even where there is no noise.
// Its own error on a clean photo is a few levels (≈ 4 on 0..255). Mixing input and output as
//   input + blend · (denoised − input),  blend = σ² / (σ² + DENOISER_ERROR²)
// weighs each by the inverse of its error variance (the input's error is the noise, σ²): a noiseless photo is
// left alone, σ = 4 gets half, σ = 15 gets 93%, σ ≥ 25 all but a few percent. The best blend measured on skimage's
// ihc, motorcycle_right and retina photos (not the bench:denoise set) is 0.12–0.31 at σ = 2, 0.39–0.70 at 4,
// 0.78–0.93 at 8, 0.93–0.97 at 15 and 0.95–1 at 25 and above.
/** The shipped denoiser's RMS error on noiseless photos, 0..255, as the blend above sees it. */
export const DENOISER_ERROR = 4;

/** The share of the denoised result for a photo with noise σ (0..255): 0 for none, towards 1 for strong noise. */
export function blendForNoise(sigma: number): number {
  if (!(sigma >= 0)) throw new RangeError(`Noise σ must be 0 or more, got ${sigma}`);
  return (sigma * sigma) / (sigma * sigma + DENOISER_ERROR * DENOISER_ERROR);
}
