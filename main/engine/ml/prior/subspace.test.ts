// A wide latent's prior: the mixture in its principal directions, and off them either an isotropic Gaussian or the
// detail of the nearest fitted latent. Samples must spread like the latents they were fitted to (along the
// directions and off them), stay exactly reproducible, and come back the same from a checkpoint.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backends';
import { packTensors, unpackTensors } from '../params';
import { Rng } from '../rng';
import { fitGaussianMixture, type GaussianMixture, sampleGaussianMixture } from './gmm';
import { priorEntries, priorFromEntries } from './stored-prior';
import { latentDetail, liftToLatent, principalSubspace } from './subspace';

/** n latents of D values: `strong` random directions with spread 2, two clusters (±6) along the first, noise of `noise` everywhere. */
function clusteredLatents(n: number, D: number, strong: number, noise: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const directions = Array.from({ length: strong }, () => rng.normals(D));
  for (const v of directions) {
    const norm = Math.hypot(...v);
    for (let j = 0; j < D; j++) v[j] /= norm;
  }
  const x = new Float32Array(n * D);
  for (let r = 0; r < n; r++) {
    const centre = r % 2 === 0 ? 6 : -6;
    const coefficients = rng.normals(strong, 2).map((c, i) => c + (i === 0 ? centre : 0));
    for (let j = 0; j < D; j++) {
      let v = noise * rng.normal();
      for (let i = 0; i < strong; i++) v += coefficients[i] * directions[i][j];
      x[r * D + j] = v;
    }
  }
  return x;
}

/** Variance of each of the D columns (n − 1 in the denominator), summed. */
function totalVariance(x: Float32Array, n: number, D: number): number {
  let total = 0;
  for (let j = 0; j < D; j++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += x[r * D + j] / n;
    for (let r = 0; r < n; r++) total += (x[r * D + j] - mean) ** 2 / (n - 1);
  }
  return total;
}

describe('a mixture in a wide latent\'s principal directions', () => {
  const n = 1200;
  const D = 96;
  const d = 8;
  const x = clusteredLatents(n, D, 4, 0.3, 1);
  const { subspace, coordinates, explained } = principalSubspace(x, n, D, d);
  let prior: GaussianMixture;
  beforeAll(async () => {
    await initBackend('cpu');
    prior = { ...fitGaussianMixture(coordinates, n, d, { components: 4, iterations: 20, seed: 2, onnx: false }), subspace };
  });

  it('measures the spread left off the directions', () => {
    expect(explained).toBeGreaterThan(0.85); // 4 strong directions and the noise along 4 more, of 96
    expect(subspace.residualStd).toBeGreaterThan(0.27);
    expect(subspace.residualStd).toBeLessThan(0.33);
  });

  it('draws latents that spread like the data, along the directions and off them', () => {
    const samples = sampleGaussianMixture(prior, n, 5);
    expect(samples.length).toBe(n * D);
    const ratio = totalVariance(samples, n, D) / totalVariance(x, n, D);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
    // The two clusters survive: along the first direction samples fall on both sides, few in the gap between.
    const along = Array.from({ length: n }, (_, r) => {
      let v = 0;
      for (let j = 0; j < D; j++) v += (samples[r * D + j] - subspace.mean[j]) * subspace.basis[j];
      return v;
    });
    expect(along.filter((v) => Math.abs(v) < 1).length / n).toBeLessThan(0.05); // one Gaussian of that spread: 0.13
    expect(along.filter((v) => v > 0).length / n).toBeGreaterThan(0.35);
    expect(along.filter((v) => v < 0).length / n).toBeGreaterThan(0.35);
  });

  it('is reproducible from the seed, cooler at a lower temperature, and comes back the same from a checkpoint', () => {
    expect(Array.from(sampleGaussianMixture(prior, 10, 7))).toEqual(Array.from(sampleGaussianMixture(prior, 10, 7)));
    const cool = sampleGaussianMixture(prior, n, 5, 0.5);
    expect(totalVariance(cool, n, D)).toBeLessThan(totalVariance(sampleGaussianMixture(prior, n, 5), n, D));
    const back = priorFromEntries(unpackTensors(packTensors(priorEntries(prior))), D)!;
    expect(back.subspace).toBeDefined();
    expect(Array.from(sampleGaussianMixture(back, 10, 7))).toEqual(Array.from(sampleGaussianMixture(prior, 10, 7)));
    // A stored subspace that does not fit the model's latent is ignored, as a mismatched mixture is.
    expect(priorFromEntries(priorEntries(prior), D + 64)).toBeNull();
  });
});

describe('the detail off the directions, borrowed from the nearest fitted latent', () => {
  const n = 600;
  const D = 64;
  const d = 4;
  // Structure off the first four directions too (8 strong ones), which a mixture in 4 cannot hold.
  const x = clusteredLatents(n, D, 8, 0.05, 3);
  const { subspace, coordinates } = principalSubspace(x, n, D, d);
  const detailed = { ...subspace, residualStd: 0, detail: latentDetail(x, n, subspace, coordinates) };
  let prior: GaussianMixture;
  beforeAll(async () => {
    await initBackend('cpu');
    prior = { ...fitGaussianMixture(coordinates, n, d, { components: 4, iterations: 20, seed: 2, onnx: false }), subspace: detailed };
  });
  const offDirections = (z: Float32Array, count: number) => {
    const rest = Float32Array.from(z);
    for (let r = 0; r < count; r++) {
      for (let i = 0; i < d; i++) {
        let c = 0;
        for (let j = 0; j < D; j++) c += (z[r * D + j] - subspace.mean[j]) * subspace.basis[i * D + j];
        for (let j = 0; j < D; j++) rest[r * D + j] -= c * subspace.basis[i * D + j];
      }
    }
    return totalVariance(rest, count, D);
  };

  it('gives back a fitted latent whole at its own coordinates', () => {
    for (const r of [0, 17, n - 1]) {
      const z = liftToLatent(detailed, coordinates.slice(r * d, (r + 1) * d), 1, new Rng(0), 1);
      for (let j = 0; j < D; j++) expect(z[j]).toBeCloseTo(x[r * D + j], 4);
    }
  });

  it('draws samples with the data\'s spread off the directions, where leaving it out draws none', () => {
    const samples = sampleGaussianMixture(prior, n, 5);
    const ratio = offDirections(samples, n) / offDirections(x, n);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
    const without = sampleGaussianMixture({ ...prior, subspace: { ...subspace, residualStd: 0 } }, n, 5);
    expect(offDirections(without, n) / offDirections(x, n)).toBeLessThan(1e-6);
  });

  it('comes back the same from a checkpoint', () => {
    const back = priorFromEntries(unpackTensors(packTensors(priorEntries(prior))), D)!;
    expect(back.subspace!.detail!.residuals.length).toBe(n * D);
    expect(Array.from(sampleGaussianMixture(back, 10, 7))).toEqual(Array.from(sampleGaussianMixture(prior, 10, 7)));
  });
});
