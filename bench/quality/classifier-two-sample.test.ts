// The classifier two-sample test: chance for sets from one distribution, near certainty for separated ones.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../main/engine/ml/rng';
import { featureMatrix, type FeatureMatrix } from './feature-matrix';
import { classifierTwoSampleTest } from './classifier-two-sample';

function gaussianRows(rng: Rng, n: number, d: number, mean = 0): FeatureMatrix {
  return featureMatrix(Array.from({ length: n }, () => Array.from({ length: d }, () => mean + rng.normal())));
}

describe('classifierTwoSampleTest', () => {
  it('is near 0.5 when both sets come from one distribution', () => {
    const rng = new Rng(21);
    const { accuracy } = classifierTwoSampleTest(gaussianRows(rng, 400, 10), gaussianRows(rng, 400, 10));
    expect(accuracy).toBeGreaterThan(0.4);
    expect(accuracy).toBeLessThan(0.6);
  });

  it('is near 1 when the sets are far apart', () => {
    const rng = new Rng(22);
    const { accuracy } = classifierTwoSampleTest(gaussianRows(rng, 200, 10), gaussianRows(rng, 200, 10, 2));
    expect(accuracy).toBeGreaterThan(0.95);
  });
});
