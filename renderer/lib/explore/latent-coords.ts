// Coordinates along the map's principal directions ↔ latent vectors. A coordinate vector v (in units of the
// dataset's standard deviation per direction) is the latent mean + Σ v_k·scale_k·component_k.
import type { LatentMap } from '../../../shared/services/explore';

type Basis = Pick<LatentMap, 'mean' | 'components' | 'scales'>;

export function latentFromCoords(map: Basis, coords: readonly number[]): number[] {
  const latent = map.mean.slice();
  map.components.forEach((component, k) => {
    const amount = (coords[k] ?? 0) * (map.scales[k] || 1);
    if (amount === 0) return;
    for (let i = 0; i < latent.length; i++) latent[i] += amount * component[i];
  });
  return latent;
}

/** Projection of a latent onto each direction, in standard deviations (inverse of latentFromCoords on the span). */
export function coordsFromLatent(map: Basis, latent: ArrayLike<number>): number[] {
  return map.components.map((component, k) => {
    let dot = 0;
    for (let i = 0; i < component.length; i++) dot += (latent[i] - map.mean[i]) * component[i];
    return dot / (map.scales[k] || 1);
  });
}

/** Map position (raw PCA units, as in explore.map points) of std-unit coordinates, and back. */
export function mapPointOf(map: Basis, coords: readonly number[]): { x: number; y: number } {
  return { x: (coords[0] ?? 0) * (map.scales[0] || 1), y: (coords[1] ?? 0) * (map.scales[1] || 1) };
}

export function coordsOfMapPoint(map: Basis, p: { x: number; y: number }, rest: readonly number[]): number[] {
  const coords = rest.slice();
  coords[0] = p.x / (map.scales[0] || 1);
  coords[1] = p.y / (map.scales[1] || 1);
  return coords;
}
