// The fitted prior travels inside the checkpoint's weights blob as three extra named tensors, so a checkpoint
// regenerates exactly what it sampled, and older checkpoints (without them) still load and sample from N(0, I).
// The covariances' Cholesky factors are stored as their lower triangles only (row by row): at 200 components of
// 128 dimensions that is 6.6 MB per checkpoint instead of 13. Checkpoints written with whole [K, D, D] factors
// (`chol`) still load. A mixture fitted in a wide latent's principal directions (./subspace.ts) stores them too,
// with the fitted latents' detail off them (2,048 × 512 values: 4.2 MB for the spatial network's 8×8×8).
import { EXTRA_PREFIX } from '../params';
import type { GaussianMixture } from './gmm';
import type { LatentSubspace } from './subspace';

type Entry = { name: string; shape: number[]; values: Float32Array };

const triangle = (d: number) => (d * (d + 1)) / 2;

/** Where each stored value sits in whole [K, D, D] factors: each factor's lower triangle, row by row. */
function lowerTriangle(k: number, d: number): Uint32Array {
  const at = new Uint32Array(k * triangle(d));
  let n = 0;
  for (let c = 0; c < k; c++) for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) at[n++] = (c * d + i) * d + j;
  return at;
}

export function priorEntries(g: GaussianMixture): Entry[] {
  const entries = [
    { name: `${EXTRA_PREFIX}weights`, shape: [g.k], values: g.weights },
    { name: `${EXTRA_PREFIX}means`, shape: [g.k, g.d], values: g.means },
    { name: `${EXTRA_PREFIX}cholLower`, shape: [g.k, triangle(g.d)], values: Float32Array.from(lowerTriangle(g.k, g.d), (i) => g.chol[i]) },
  ];
  const s = g.subspace;
  if (!s) return entries;
  const D = s.mean.length;
  return [
    ...entries,
    { name: `${EXTRA_PREFIX}subspaceMean`, shape: [D], values: s.mean },
    { name: `${EXTRA_PREFIX}subspaceBasis`, shape: [g.d, D], values: s.basis },
    { name: `${EXTRA_PREFIX}subspaceResidualStd`, shape: [1], values: Float32Array.of(s.residualStd) },
    ...(s.detail
      ? [
          { name: `${EXTRA_PREFIX}subspaceDetailCoordinates`, shape: [s.detail.coordinates.length / g.d, g.d], values: s.detail.coordinates },
          { name: `${EXTRA_PREFIX}subspaceDetailResiduals`, shape: [s.detail.residuals.length / D, D], values: s.detail.residuals },
        ]
      : []),
  ];
}

/** The principal directions stored among `entries` for a mixture of d dimensions in a latent of `latent`, if any. */
function subspaceFromEntries(get: (name: string) => Entry | undefined, d: number, latent: number): LatentSubspace | undefined {
  const mean = get('subspaceMean');
  const basis = get('subspaceBasis');
  const residual = get('subspaceResidualStd');
  if (mean?.shape.join() !== [latent].join() || basis?.shape.join() !== [d, latent].join() || residual?.values.length !== 1) return undefined;
  const coordinates = get('subspaceDetailCoordinates');
  const residuals = get('subspaceDetailResiduals');
  const n = coordinates?.shape[0];
  const detail =
    coordinates?.shape.join() === [n, d].join() && residuals?.shape.join() === [n, latent].join() && n! > 0
      ? { coordinates: coordinates!.values, residuals: residuals!.values }
      : undefined;
  return { mean: mean.values, basis: basis.values, residualStd: residual.values[0], ...(detail && { detail }) };
}

/** The prior stored among `entries`, or null when there is none (or it does not fit `latent`). */
export function priorFromEntries(entries: Entry[], latent: number): GaussianMixture | null {
  const get = (name: string) => entries.find((e) => e.name === `${EXTRA_PREFIX}${name}`);
  const weights = get('weights');
  const means = get('means');
  if (!weights || !means) return null;
  const [k, d] = means.shape;
  const subspace = d < latent ? subspaceFromEntries(get, d, latent) : undefined;
  if ((d !== latent && !subspace) || weights.shape[0] !== k) return null;
  const lower = get('cholLower');
  const whole = get('chol');
  let chol: Float32Array | null = null;
  if (lower?.shape.join() === [k, triangle(d)].join()) {
    const full = new Float32Array(k * d * d);
    lowerTriangle(k, d).forEach((i, n) => (full[i] = lower.values[n]));
    chol = full;
  } else if (!lower && whole?.shape.join() === [k, d, d].join()) {
    chol = whole.values;
  }
  return chol && { k, d, weights: weights.values, means: means.values, chol, ...(subspace && { subspace }) };
}
