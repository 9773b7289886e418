import { describe, expect, it } from 'vitest';
import { priorComponents } from './fit-prior';

describe('mixture components of the sampling prior', () => {
  it('grow with the images fitted, one per four, from 10 to 200', () => {
    expect([20, 50, 200, 760, 799, 800, 2048].map((n) => priorComponents(n, true))).toEqual([10, 12, 50, 190, 199, 200, 200]);
    // Fitted on the engine's own thread (TF.js only), at most 100: twice the components would hold it twice as long.
    expect([200, 400, 2048].map((n) => priorComponents(n, false))).toEqual([50, 100, 100]);
  });
});
