import { describe, expect, it } from 'vitest';
import { priorComponents } from './fit-prior';

describe('mixture components of the sampling prior', () => {
  it('grow with the images fitted, one per four, from 10 to 100', () => {
    expect([20, 50, 200, 300, 399, 400, 2048].map(priorComponents)).toEqual([10, 12, 50, 75, 99, 100, 100]);
  });
});
