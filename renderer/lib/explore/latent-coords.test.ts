import { describe, expect, it } from 'vitest';
import { coordsFromLatent, latentFromCoords } from './latent-coords';

const map = { mean: [1, 1, 1], components: [[1, 0, 0], [0, 1, 0]], scales: [2, 0.5] };

describe('latent ↔ slider coordinates', () => {
  it('adds each direction scaled by its standard deviation to the mean', () => {
    expect(latentFromCoords(map, [1, -2])).toEqual([3, 0, 1]);
    expect(latentFromCoords(map, [])).toEqual([1, 1, 1]);
  });

  it('projects a latent back onto the directions', () => {
    expect(coordsFromLatent(map, latentFromCoords(map, [0.5, 3]))).toEqual([0.5, 3]);
  });
});
