// Latent-space math shared by the engine and the canvas: interpolation paths between codes.

/** Linear interpolation a + t (b − a). */
export function lerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + t * (b[i] - a[i]);
  return out;
}

/**
 * Spherical interpolation: follows the great circle between a and b, interpolating the norm linearly, so
 * intermediate codes keep a typical length under a Gaussian prior instead of shrinking toward the origin.
 * Falls back to lerp when a and b are (anti)parallel or either is zero.
 */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  let na = 0;
  let nb = 0;
  let dot = 0;
  for (let i = 0; i < a.length; i++) {
    na += a[i] * a[i];
    nb += b[i] * b[i];
    dot += a[i] * b[i];
  }
  na = Math.sqrt(na);
  nb = Math.sqrt(nb);
  if (na === 0 || nb === 0) return lerp(a, b, t);
  const cos = Math.min(1, Math.max(-1, dot / (na * nb)));
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  if (sin < 1e-6) return lerp(a, b, t);
  const wa = Math.sin((1 - t) * omega) / sin / na;
  const wb = Math.sin(t * omega) / sin / nb;
  const norm = na + t * (nb - na);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = norm * (wa * a[i] + wb * b[i]);
  return out;
}

export type InterpolationMode = 'linear' | 'slerp';

/** `frames` codes from a to b inclusive. */
export function interpolationPath(a: ArrayLike<number>, b: ArrayLike<number>, frames: number, mode: InterpolationMode): Float32Array[] {
  const f = mode === 'slerp' ? slerp : lerp;
  if (frames < 2) return [Float32Array.from(a)];
  return Array.from({ length: frames }, (_, i) => f(a, b, i / (frames - 1)));
}
