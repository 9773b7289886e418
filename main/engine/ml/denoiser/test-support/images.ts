// Small photo-like test images (smooth shading, hard edges, a little texture) and noise, generated in the test.
import { Rng } from '../../rng';

/** width × height × 3 floats in [0, 1]. */
export function syntheticPhoto(width: number, height: number, seed = 1): Float32Array {
  const rng = new Rng(seed);
  const [cx, cy, r] = [rng.next() * width, rng.next() * height, (0.2 + rng.next() * 0.3) * Math.min(width, height)];
  const out = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = (x - cx) ** 2 + (y - cy) ** 2 < r * r;
      const i = (y * width + x) * 3;
      out[i] = inside ? 0.8 : 0.2 + (0.5 * x) / width;
      out[i + 1] = inside ? 0.3 : 0.3 + (0.4 * y) / height;
      out[i + 2] = 0.5 + 0.1 * Math.sin(x / 3) * Math.cos(y / 4);
    }
  }
  return out;
}

/** Gaussian noise of `sigma` (0..1 scale), clipped to [0, 1]. */
export function addNoise(image: Float32Array, sigma: number, seed = 2): Float32Array {
  const rng = new Rng(seed);
  return image.map((v) => Math.min(1, Math.max(0, v + sigma * rng.normal())));
}

export function psnr(a: Float32Array, b: Float32Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) se += (Math.min(1, Math.max(0, a[i])) - b[i]) ** 2;
  return 10 * Math.log10(a.length / se);
}
