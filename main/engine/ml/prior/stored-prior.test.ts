// The fitted prior inside a checkpoint: it comes back exactly (so samples regenerate), at half the bytes of whole
// Cholesky factors, and checkpoints written before with whole factors still load and sample the same.
import { describe, expect, it } from 'vitest';
import { EXTRA_PREFIX, packTensors, unpackTensors } from '../params';
import { Rng } from '../rng';
import { type GaussianMixture, sampleGaussianMixture } from './gmm';
import { priorEntries, priorFromEntries } from './stored-prior';

/** A mixture with random lower-triangular factors (zeros above the diagonal, as the fit makes them). */
function randomMixture(k: number, d: number, seed: number): GaussianMixture {
  const rng = new Rng(seed);
  const chol = new Float32Array(k * d * d);
  for (let c = 0; c < k; c++) for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) chol[(c * d + i) * d + j] = i === j ? 0.5 + rng.next() : rng.normal() * 0.1;
  const weights = Float32Array.from({ length: k }, () => 1 / k);
  return { k, d, weights, means: rng.normals(k * d), chol };
}

describe('the prior stored in a checkpoint', () => {
  it('comes back exactly, and samples repeat from it', () => {
    const g = randomMixture(7, 16, 1);
    const back = priorFromEntries(unpackTensors(packTensors(priorEntries(g))), 16)!;
    expect(back.k).toBe(7);
    expect(Array.from(back.chol)).toEqual(Array.from(g.chol));
    expect(Array.from(back.means)).toEqual(Array.from(g.means));
    expect(Array.from(sampleGaussianMixture(back, 20, 3))).toEqual(Array.from(sampleGaussianMixture(g, 20, 3)));
  });

  it('takes about half the bytes of whole factors', () => {
    const g = randomMixture(20, 128, 2);
    const whole = packTensors([{ name: `${EXTRA_PREFIX}chol`, shape: [20, 128, 128], values: g.chol }]).length;
    const stored = packTensors(priorEntries(g)).length;
    expect(stored / whole).toBeLessThan(0.52);
  });

  it('still loads from a checkpoint written with whole factors', () => {
    const g = randomMixture(5, 8, 3);
    const older = [
      { name: `${EXTRA_PREFIX}weights`, shape: [5], values: g.weights },
      { name: `${EXTRA_PREFIX}means`, shape: [5, 8], values: g.means },
      { name: `${EXTRA_PREFIX}chol`, shape: [5, 8, 8], values: g.chol },
    ];
    const back = priorFromEntries(unpackTensors(packTensors(older)), 8)!;
    expect(Array.from(sampleGaussianMixture(back, 10, 4))).toEqual(Array.from(sampleGaussianMixture(g, 10, 4)));
  });

  it('is ignored when it does not fit the model (another latent size, a damaged shape)', () => {
    const g = randomMixture(4, 8, 5);
    expect(priorFromEntries(priorEntries(g), 16)).toBeNull();
    const damaged = priorEntries(g).map((e) => (e.name.endsWith('cholLower') ? { ...e, shape: [4, 30] } : e));
    expect(priorFromEntries(damaged, 8)).toBeNull();
  });
});
