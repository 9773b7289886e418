// A set of feature vectors (one row per image) and the statistics the set distances are built from.

/** n rows of d features, row after row. */
export interface FeatureMatrix {
  n: number;
  d: number;
  data: Float64Array;
}

export function featureMatrix(rows: ArrayLike<number>[]): FeatureMatrix {
  const n = rows.length;
  const d = n > 0 ? rows[0].length : 0;
  const data = new Float64Array(n * d);
  rows.forEach((row, i) => {
    if (row.length !== d) throw new Error(`featureMatrix: row ${i} has ${row.length} features, expected ${d}`);
    data.set(row, i * d);
  });
  return { n, d, data };
}

export function columnMeans(x: FeatureMatrix): Float64Array {
  const mean = new Float64Array(x.d);
  for (let i = 0; i < x.n; i++) for (let j = 0; j < x.d; j++) mean[j] += x.data[i * x.d + j];
  for (let j = 0; j < x.d; j++) mean[j] /= x.n;
  return mean;
}

/** The rows minus their mean, scaled by 1/√(n−1): A with Aᵀ·A equal to the unbiased covariance. */
export function centredScaled(x: FeatureMatrix): FeatureMatrix {
  if (x.n < 2) throw new Error('A covariance needs at least two feature vectors');
  const mean = columnMeans(x);
  const scale = 1 / Math.sqrt(x.n - 1);
  const data = new Float64Array(x.n * x.d);
  for (let i = 0; i < x.n; i++) for (let j = 0; j < x.d; j++) data[i * x.d + j] = (x.data[i * x.d + j] - mean[j]) * scale;
  return { n: x.n, d: x.d, data };
}

/** Row i of the matrix, without copying. */
export function row(x: FeatureMatrix, i: number): Float64Array {
  return x.data.subarray(i * x.d, (i + 1) * x.d);
}

/** The rows picked by `indices`, copied into a new matrix. */
export function pickRows(x: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  const data = new Float64Array(indices.length * x.d);
  for (let k = 0; k < indices.length; k++) data.set(row(x, indices[k]), k * x.d);
  return { n: indices.length, d: x.d, data };
}
