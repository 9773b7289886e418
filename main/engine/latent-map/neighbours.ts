// The dataset images closest to a latent: Euclidean distance between posterior means.

export interface Neighbour {
  /** Index into the searched rows. */
  index: number;
  distance: number;
}

/**
 * The `count` rows of `rows` (n vectors of query.length values) nearest to `query`, nearest first; rows for
 * which `skip(index)` is true are left out (e.g. the image being encoded).
 */
export function nearestNeighbours(
  rows: ArrayLike<number>,
  query: ArrayLike<number>,
  count: number,
  skip: (index: number) => boolean = () => false,
): Neighbour[] {
  const d = query.length;
  const n = Math.floor(rows.length / d);
  const best: Neighbour[] = []; // kept sorted, at most `count` long: n·count work, fine for count = 8
  for (let r = 0; r < n; r++) {
    if (skip(r)) continue;
    let sum = 0;
    for (let j = 0, o = r * d; j < d; j++) {
      const diff = rows[o + j] - query[j];
      sum += diff * diff;
    }
    if (best.length === count && sum >= best[count - 1].distance) continue;
    let at = best.length;
    while (at > 0 && best[at - 1].distance > sum) at--;
    best.splice(at, 0, { index: r, distance: sum });
    if (best.length > count) best.pop();
  }
  return best.map((b) => ({ index: b.index, distance: Math.sqrt(b.distance) }));
}
