// A latent too wide for full-covariance mixtures (the spatial network's 8×8 grid: 512 values) gets its mixture in
// the top principal directions of the posterior means. What lies off those directions is fine structure: drawn as
// isotropic noise it reads as grain, left out samples are soft, so a sample takes it from the fitted latent
// nearest to it along the directions (`detail`). The isotropic spread (`residualStd`) stays for studies: the
// product draws none (../../operations/fit-prior.ts). EM's cost grows with the square of the dimensions and the
// stored Cholesky factors too: at 512 dimensions and 200 components a fit took minutes and its factors 105 MB per
// checkpoint; in 128 principal directions both are what a classic latent of 128 costs.
import { pca } from '../../latent-map/pca';
import type { Rng } from '../rng';

/** The most dimensions a mixture is fitted in; wider latents are reduced to this many principal directions. */
export const MIXTURE_MAX_DIMS = 128;

export interface LatentSubspace {
  /** Mean of the latents [D]. */
  mean: Float32Array;
  /** Orthonormal principal directions [d × D], most variance first. */
  basis: Float32Array;
  /** Standard deviation, per dimension, of isotropic noise drawn off those directions (0: none). */
  residualStd: number;
  /** The fitted latents' structure off the directions, which samples borrow from the nearest of them. */
  detail?: LatentDetail;
}

export interface LatentDetail {
  /** The fitted latents' coordinates along the directions [n × d]. */
  coordinates: Float32Array;
  /** What is left of each fitted latent off the directions [n × D]. */
  residuals: Float32Array;
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

/** The detail of n latents x (n × D) whose coordinates along `s`'s directions are `coordinates` (n × d). */
export function latentDetail(x: Float32Array, n: number, s: LatentSubspace, coordinates: Float32Array): LatentDetail {
  const D = s.mean.length;
  const d = s.basis.length / D;
  const residuals = new Float32Array(n * D);
  for (let r = 0; r < n; r++) {
    const residual = residuals.subarray(r * D, (r + 1) * D);
    for (let j = 0; j < D; j++) residual[j] = x[r * D + j] - s.mean[j];
    for (let i = 0; i < d; i++) {
      const c = coordinates[r * d + i];
      for (let j = 0; j < D; j++) residual[j] -= c * s.basis[i * D + j];
    }
  }
  return { coordinates: coordinates.slice(0, n * d), residuals };
}

/** Index of the row of `rows` (n × d) nearest to y (the first of equals), by squared distance. */
function nearestRow(rows: Float32Array, d: number, y: Float32Array): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let r = 0, n = rows.length / d; r < n; r++) {
    let distance = 0;
    for (let i = 0; i < d && distance < bestDistance; i++) distance += (y[i] - rows[r * d + i]) ** 2;
    if (distance < bestDistance) {
      best = r;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Latents of D values from coordinates y (count × d) along the subspace: mean + Σ y_i·direction_i, plus noise of
 * the residual's spread (× temperature) with its component along the directions removed, drawn from `rng`, plus
 * the detail of the fitted latent nearest to each y where the subspace has one.
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
    if (s.detail) {
      const nearest = nearestRow(s.detail.coordinates, d, y.subarray(c * d, (c + 1) * d));
      const residual = s.detail.residuals.subarray(nearest * D, (nearest + 1) * D);
      for (let j = 0; j < D; j++) z[j] += residual[j];
    }
  }
  return out;
}
