// Checks the eigen-decomposition and matrix square root that FID depends on, against identities that hold exactly.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../main/engine/ml/rng';
import { sqrtmSymmetric, symmetricEigen, type SquareMatrix } from './symmetric-eigen';

function randomSpd(n: number, seed: number): SquareMatrix {
  const rng = new Rng(seed);
  const g = Float64Array.from({ length: n * n }, () => rng.normal());
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += g[i * n + k] * g[j * n + k];
    data[i * n + j] = s + (i === j ? 0.1 : 0);
  }
  return { n, data };
}

function times(a: SquareMatrix, b: SquareMatrix): Float64Array {
  const n = a.n;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) out[i * n + j] += a.data[i * n + k] * b.data[k * n + j];
  return out;
}

describe('symmetricEigen', () => {
  it('gives A·v = λ·v with orthonormal v, eigenvalues ascending', () => {
    const a = randomSpd(12, 1);
    const { values, vectors } = symmetricEigen(a);
    const n = a.n;
    for (let k = 0; k < n; k++) {
      if (k > 0) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a.data[i * n + j] * vectors.data[j * n + k];
        expect(av).toBeCloseTo(values[k] * vectors.data[i * n + k], 8);
      }
      for (let m = 0; m < n; m++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors.data[i * n + k] * vectors.data[i * n + m];
        expect(dot).toBeCloseTo(k === m ? 1 : 0, 10);
      }
    }
  });

  it('finds the eigenvalues of a diagonal matrix and of a 2×2 with a known spectrum', () => {
    expect(Array.from(symmetricEigen({ n: 3, data: Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]) }).values)).toEqual([-1, 2, 3]);
    const { values } = symmetricEigen({ n: 2, data: Float64Array.from([2, 1, 1, 2]) });
    expect(values[0]).toBeCloseTo(1, 12);
    expect(values[1]).toBeCloseTo(3, 12);
  });
});

describe('sqrtmSymmetric', () => {
  it('squares back to the matrix', () => {
    const a = randomSpd(10, 2);
    const root = sqrtmSymmetric(a);
    const back = times(root, root);
    for (let i = 0; i < a.data.length; i++) expect(back[i]).toBeCloseTo(a.data[i], 8);
  });

  it('takes the root of each entry of a diagonal matrix', () => {
    const root = sqrtmSymmetric({ n: 2, data: Float64Array.from([4, 0, 0, 9]) });
    expect(Array.from(root.data).map((v) => Number(v.toFixed(12)))).toEqual([2, 0, 0, 3]);
  });
});
