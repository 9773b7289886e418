import { describe, expect, it } from 'vitest';
import { gridLayout, pagesCovering, visibleWindow } from './virtual-grid';

describe('virtual thumbnail grid', () => {
  it('fits as many columns as the width allows', () => {
    expect(gridLayout(1000, 96, 8, 5000).columns).toBe(9); // 9·104 − 8 = 928 ≤ 1000 < 1032
    expect(gridLayout(50, 96, 8, 10).columns).toBe(1);
  });

  it('renders only the rows on screen plus overscan, even for thousands of images', () => {
    const layout = gridLayout(1000, 96, 8, 5000);
    const w = visibleWindow(layout, 104 * 100, 600, 5000, 2);
    expect(w.start).toBe(98 * 9);
    expect(w.end - w.start).toBeLessThanOrEqual(12 * 9);
    expect(w.offsetY).toBe(98 * 104);
    expect(layout.totalHeight).toBe(Math.ceil(5000 / 9) * 104);
  });

  it('clamps the window to the item count at the bottom', () => {
    const layout = gridLayout(1000, 96, 8, 20);
    const w = visibleWindow(layout, 0, 2000, 20);
    expect([w.start, w.end]).toEqual([0, 20]);
  });

  it('names the pages a window needs', () => {
    expect(pagesCovering(190, 420, 200)).toEqual([0, 1, 2]);
    expect(pagesCovering(0, 200, 200)).toEqual([0]);
    expect(pagesCovering(5, 5, 200)).toEqual([]);
  });
});
