import { describe, expect, it } from 'vitest';
import { priorComponents } from './fit-prior';

describe('mixture components of the sampling prior', () => {
  it('grow with the images fitted, one per twenty, from 10 to 100', () => {
    expect([50, 200, 300, 1999, 2000, 2048].map(priorComponents)).toEqual([10, 10, 15, 99, 100, 100]);
  });
});
