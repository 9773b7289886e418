// Noise in a JPEG with subsampled colour (4:2:0: what phones, cameras and most software write) is not the noise
// the denoiser was trained on. The colour-difference channels (Cb, Cr) were averaged over 2×2 pixels, which takes
// away about 3/4 of their noise and spreads the rest over 2×2 blocks, while the luma keeps all of its noise. The
// shipped denoiser, trained on noise independent per pixel and channel (synthetic-noise.ts), removes little of
// that mix: on skimage's photos with σ 25 saved as JPEG quality 75 it scores 25.4 dB with 4:2:0 against 29.0 dB
// with 4:4:4 (bench:denoise). Adding back independent colour noise of the variance subsampling took away (luma
// untouched) makes the noise look like its training noise again, and it then removes that with the rest: +1.5 to
// +4.5 dB on skimage's ihc, motorcycle_right and retina (not the bench:denoise photos). On noise that was never
// subsampled the same addition costs 0.5–1.3 dB, so it is made only for subsampled JPEGs. Only the denoiser's
// input changes; the output is still blended with the photo as it was.
import { Rng } from '../rng';

/** Share of the colour-difference noise variance a JPEG's chroma subsampling took away (0: none, or not a JPEG). */
export function removedChromaShare(format: string, chromaSubsampling: string | undefined): number {
  if (format !== 'jpeg') return 0;
  if (chromaSubsampling === '4:2:0' || chromaSubsampling === '4:1:1') return 3 / 4;
  if (chromaSubsampling === '4:2:2' || chromaSubsampling === '4:4:0') return 1 / 2;
  return 0;
}

/** JPEG's (BT.601, full range) Cb and Cr of independent noise σ per channel: σ·‖Cb weights‖, σ·‖Cr weights‖. */
const CB_GAIN = Math.hypot(0.168736, 0.331264, 0.5);
const CR_GAIN = Math.hypot(0.5, 0.418688, 0.081312);

/** Standard normal draws, made once: picking from them is ~30× faster than drawing per pixel (0.5 s per MP). */
const NORMALS_BITS = 16;
let normals: Float32Array | undefined;
function normalTable(): Float32Array {
  if (!normals) {
    const rng = new Rng(0x6a7067);
    normals = Float32Array.from({ length: 1 << NORMALS_BITS }, () => rng.normal());
  }
  return normals;
}

/**
 * `rgb` (HWC, [0, 1]) plus independent Cb and Cr noise of variance share × (what σ per channel gives them), as
 * RGB with unchanged luma. Seeded, so the same photo denoises the same way every time.
 */
export function restoreChromaNoise(rgb: Float32Array, sigma: number, share: number, seed = 0x9e3779b9): Float32Array {
  const table = normalTable();
  const mask = table.length - 1;
  const cb = (Math.sqrt(share) * CB_GAIN * sigma) / 255;
  const cr = (Math.sqrt(share) * CR_GAIN * sigma) / 255;
  const out = new Float32Array(rgb.length);
  // xorshift32 picks the table entries; kept in a local (not a closure) so the JIT keeps it in a register.
  let state = seed | 0 || 1;
  for (let i = 0; i < rgb.length; i += 3) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const db = cb * table[state & mask];
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const dr = cr * table[state & mask];
    // YCbCr → RGB with ΔY = 0.
    out[i] = rgb[i] + 1.402 * dr;
    out[i + 1] = rgb[i + 1] - 0.344136 * db - 0.714136 * dr;
    out[i + 2] = rgb[i + 2] + 1.772 * db;
  }
  return out;
}
