// The fitted prior travels inside the checkpoint's weights blob as three extra named tensors, so a checkpoint
// regenerates exactly what it sampled, and older checkpoints (without them) still load and sample from N(0, I).
import { EXTRA_PREFIX } from '../params';
import type { GaussianMixture } from './gmm';

type Entry = { name: string; shape: number[]; values: Float32Array };

export function priorEntries(g: GaussianMixture): Entry[] {
  return [
    { name: `${EXTRA_PREFIX}weights`, shape: [g.k], values: g.weights },
    { name: `${EXTRA_PREFIX}means`, shape: [g.k, g.d], values: g.means },
    { name: `${EXTRA_PREFIX}chol`, shape: [g.k, g.d, g.d], values: g.chol },
  ];
}

/** The prior stored among `entries`, or null when there is none (or it does not fit `latent`). */
export function priorFromEntries(entries: Entry[], latent: number): GaussianMixture | null {
  const get = (name: string) => entries.find((e) => e.name === `${EXTRA_PREFIX}${name}`);
  const weights = get('weights');
  const means = get('means');
  const chol = get('chol');
  if (!weights || !means || !chol) return null;
  const [k, d] = means.shape;
  if (d !== latent || weights.shape[0] !== k || chol.shape.join() !== [k, d, d].join()) return null;
  return { k, d, weights: weights.values, means: means.values, chol: chol.values };
}
