// Eigen-decomposition of a small symmetric matrix (a latent covariance) by cyclic Jacobi rotations: simple,
// unconditionally stable and accurate to rounding for the sizes it is used on (d ≲ 256, O(d³) per sweep).

export interface Eigen {
  /** Eigenvalues, largest first. */
  values: number[];
  /** Unit eigenvectors in the order of `values`; each has its largest-magnitude entry positive (deterministic). */
  vectors: Float64Array[];
}

const MAX_SWEEPS = 100;

/** `matrix` is n×n row-major and symmetric; it is not modified. */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): Eigen {
  if (matrix.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n}×${n} values, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale += a[i] * a[i];
  const tolerance = Math.max(scale, Number.MIN_VALUE) * 1e-30;

  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        rotate(a, v, n, p, q, apq);
      }
    }
  }

  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  return {
    values: order.map((i) => a[i * n + i]),
    vectors: order.map((col) => {
      const vec = new Float64Array(n);
      for (let r = 0; r < n; r++) vec[r] = v[r * n + col];
      return withPositiveLargest(vec);
    }),
  };
}

/** One Jacobi rotation zeroing a[p][q] (Numerical Recipes' form, which keeps rounding small). */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number, apq: number): void {
  const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  a[p * n + p] -= t * apq;
  a[q * n + q] += t * apq;
  a[p * n + q] = a[q * n + p] = 0;
  for (let k = 0; k < n; k++) {
    if (k !== p && k !== q) {
      const akp = a[k * n + p];
      const akq = a[k * n + q];
      a[k * n + p] = a[p * n + k] = c * akp - s * akq;
      a[k * n + q] = a[q * n + k] = s * akp + c * akq;
    }
    const vkp = v[k * n + p];
    const vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}

export function withPositiveLargest(vec: Float64Array): Float64Array {
  let largest = 0;
  for (let i = 1; i < vec.length; i++) if (Math.abs(vec[i]) > Math.abs(vec[largest]) + 1e-12) largest = i;
  if (vec[largest] < 0) for (let i = 0; i < vec.length; i++) vec[i] = -vec[i];
  return vec;
}
