// Small dense linear algebra for the fitted prior (D ≤ a few hundred): Cholesky factors and the inverse of a
// lower-triangular matrix, row-major Float64Arrays.

/** Lower-triangular L with L·Lᵀ = A (A symmetric positive definite, D × D); throws if it is not. */
export function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * d + j];
      for (let k = 0; k < j; k++) sum -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (!(sum > 0)) throw new Error('The covariance is not positive definite');
        l[i * d + i] = Math.sqrt(sum);
      } else {
        l[i * d + j] = sum / l[j * d + j];
      }
    }
  }
  return l;
}

/** L⁻¹ for lower-triangular L (also lower-triangular). */
export function invertLower(l: Float64Array, d: number): Float64Array {
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    inv[i * d + i] = 1 / l[i * d + i];
    for (let j = 0; j < i; j++) {
      let sum = 0;
      for (let k = j; k < i; k++) sum -= l[i * d + k] * inv[k * d + j];
      inv[i * d + j] = sum / l[i * d + i];
    }
  }
  return inv;
}
