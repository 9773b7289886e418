import { describe, expect, it } from 'vitest';
import { fitView, hitTest, panBy, toMap, toScreen, zoomAt } from './map-view';

describe('latent map view', () => {
  const points = [{ x: -2, y: -1 }, { x: 2, y: 3 }, { x: 0, y: 0 }];

  it('fits all points inside the canvas with padding', () => {
    const view = fitView(points, 400, 300, 20);
    for (const p of points) {
      const s = toScreen(view, p);
      expect(s.x).toBeGreaterThanOrEqual(20 - 1e-9);
      expect(s.x).toBeLessThanOrEqual(380 + 1e-9);
      expect(s.y).toBeGreaterThanOrEqual(20 - 1e-9);
      expect(s.y).toBeLessThanOrEqual(280 + 1e-9);
    }
  });

  it('draws larger map y higher on screen', () => {
    const view = fitView(points, 400, 300);
    expect(toScreen(view, { x: 0, y: 3 }).y).toBeLessThan(toScreen(view, { x: 0, y: -1 }).y);
  });

  it('maps screen to map and back', () => {
    const view = fitView(points, 400, 300);
    const back = toScreen(view, toMap(view, { x: 123, y: 45 }));
    expect(back.x).toBeCloseTo(123);
    expect(back.y).toBeCloseTo(45);
  });

  it('keeps the point under the cursor fixed while zooming', () => {
    const view = fitView(points, 400, 300);
    const cursor = { x: 300, y: 80 };
    const before = toMap(view, cursor);
    const after = toMap(zoomAt(view, 2.5, cursor), cursor);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it('moves content with the drag', () => {
    const view = fitView(points, 400, 300);
    const s0 = toScreen(view, points[1]);
    const s1 = toScreen(panBy(view, 30, -10), points[1]);
    expect(s1.x - s0.x).toBeCloseTo(30);
    expect(s1.y - s0.y).toBeCloseTo(-10);
  });

  it('picks the nearest point within the radius only', () => {
    const view = fitView(points, 400, 300);
    const s = toScreen(view, points[2]);
    expect(hitTest(view, points, { x: s.x + 3, y: s.y }, 8)).toBe(2);
    expect(hitTest(view, points, { x: s.x + 30, y: s.y + 30 }, 8)).toBe(-1);
  });
});

import { thumbSize } from './draw-map';

describe('map thumbnails', () => {
  const view = { centerX: 0, centerY: 0, scale: 1, width: 800, height: 500 };
  it('shows thumbnails for a few hundred images and dots for thousands until zoomed in', () => {
    expect(thumbSize(view, 200, 1)).toBeGreaterThanOrEqual(10);
    expect(thumbSize(view, 4000, 1)).toBeLessThan(10);
    expect(thumbSize(view, 4000, 3)).toBeGreaterThanOrEqual(10);
  });
});
