// A latent too wide for full-covariance mixtures (the spatial network's 8×8 grid: 512 values) gets its mixture in
// the top principal directions of the posterior means, and optionally an isotropic Gaussian across the rest,
// sized to the variance left there (the product draws none: see ../../operations/fit-prior.ts). EM's cost grows with the square of the dimensions and the stored Cholesky factors too:
// at 512 dimensions and 200 components a fit took minutes and its factors 105 MB per checkpoint; in 128
// principal directions both are what a classic latent of 128 costs.
import { pca } from '../../latent-map/pca';
import type { Rng } from '../rng';

/** The most dimensions a mixture is fitted in; wider latents are reduced to this many principal directions. */
export const MIXTURE_MAX_DIMS = 128;

export interface LatentSubspace {
  /** Mean of the latents [D]. */
  mean: Float32Array;
  /** Orthonormal principal directions [d × D], most variance first. */
  basis: Float32Array;
  /** Standard deviation, per dimension, of what is drawn off those directions (0: samples stay on them). */
  residualStd: number;
}

/**
 * The top `d` principal directions of n latents of D values, the latents' coordinates along them (n × d), and the
 * fraction of their variance those directions hold.
 */
export function principalSubspace(x: Float32Array, n: number, D: number, d: number): { subspace: LatentSubspace; coordinates: Float32Array; explained: number } {
  const fit = pca(x, n, D, d);
  const basis = new Float32Array(d * D);
  fit.components.forEach((direction, i) => basis.set(direction, i * D));
  let total = 0;
  for (let j = 0; j < D; j++) {
    let sum = 0;
    for (let r = 0; r < n; r++) sum += (x[r * D + j] - fit.mean[j]) ** 2;
    total += sum / Math.max(1, n - 1);
  }
  const kept = fit.variances.reduce((a, b) => a + b, 0);
  // Float32, as the checkpoint stores it: samples drawn before saving and after loading are the same.
  const residualStd = Math.fround(D > d ? Math.sqrt(Math.max(0, total - kept) / (D - d)) : 0);
  const coordinates = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let v = 0;
      for (let j = 0; j < D; j++) v += (x[r * D + j] - fit.mean[j]) * basis[i * D + j];
      coordinates[r * d + i] = v;
    }
  }
  return { subspace: { mean: Float32Array.from(fit.mean), basis, residualStd }, coordinates, explained: total > 0 ? kept / total : 1 };
}

/**
 * Latents of D values from coordinates y (count × d) along the subspace: mean + Σ y_i·direction_i, plus noise of
 * the residual's spread (× temperature) with its component along the directions removed, drawn from `rng`.
 */
export function liftToLatent(s: LatentSubspace, y: Float32Array, count: number, rng: Rng, temperature: number): Float32Array {
  const D = s.mean.length;
  const d = s.basis.length / D;
  const out = new Float32Array(count * D);
  for (let c = 0; c < count; c++) {
    const z = out.subarray(c * D, (c + 1) * D);
    // No spread off the directions (what the product fits) draws no noise: the rng is not used after this.
    const noise = s.residualStd > 0 ? rng.normals(D, s.residualStd * temperature) : null;
    for (let i = 0; i < d; i++) {
      // The noise's coordinates along the directions, taken away so it stays in the complement.
      let along = 0;
      if (noise) for (let j = 0; j < D; j++) along += noise[j] * s.basis[i * D + j];
      const coefficient = y[c * d + i] - along;
      for (let j = 0; j < D; j++) z[j] += coefficient * s.basis[i * D + j];
    }
    for (let j = 0; j < D; j++) z[j] += s.mean[j] + (noise ? noise[j] : 0);
  }
  return out;
}
