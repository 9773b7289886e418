import { describe, expect, it } from 'vitest';
import { meanDistanceToNearest } from './novelty';

describe('distance from samples to the nearest training image', () => {
  const image = (value: number) => new Uint8Array(12).fill(value);
  const train = { count: 3, data: Uint8Array.from([...image(10), ...image(100), ...image(200)]), imageIds: [1, 2, 3] };

  it('is 0 for copies and the RMS error to the closest image otherwise, averaged over samples', () => {
    expect(meanDistanceToNearest([image(100)], train)).toBe(0);
    expect(meanDistanceToNearest([image(110), image(190)], train)).toBe(10); // nearest: 100 and 200
    const mixed = Uint8Array.from([...new Array(6).fill(100), ...new Array(6).fill(120)]);
    expect(meanDistanceToNearest([mixed], train)).toBeCloseTo(Math.sqrt(200), 10);
  });

  it('refuses samples of another size', () => {
    expect(() => meanDistanceToNearest([new Uint8Array(5)], train)).toThrow('a sample of 5 values against training images of 12');
  });
});
