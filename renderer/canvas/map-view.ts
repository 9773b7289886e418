// The latent map's view transform: map units (PCA coordinates) ↔ canvas pixels, fit, pan and zoom at a point.
// Screen y grows downward, map y upward.

export interface MapView {
  /** Map coordinates at the canvas centre. */
  centerX: number;
  centerY: number;
  /** Pixels per map unit. */
  scale: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export function toScreen(view: MapView, p: Point): Point {
  return { x: view.width / 2 + (p.x - view.centerX) * view.scale, y: view.height / 2 - (p.y - view.centerY) * view.scale };
}

export function toMap(view: MapView, s: Point): Point {
  return { x: view.centerX + (s.x - view.width / 2) / view.scale, y: view.centerY - (s.y - view.height / 2) / view.scale };
}

/** A view that shows every point with `padding` pixels to spare (a unit square around the origin if none). */
export function fitView(points: readonly Point[], width: number, height: number, padding = 24): MapView {
  let minX = -1, maxX = 1, minY = -1, maxY = 1;
  if (points.length > 0) {
    minX = maxX = points[0].x;
    minY = maxY = points[0].y;
    for (const p of points) {
      minX = Math.min(minX, p.x);
      maxX = Math.max(maxX, p.x);
      minY = Math.min(minY, p.y);
      maxY = Math.max(maxY, p.y);
    }
  }
  const spanX = Math.max(maxX - minX, 1e-6);
  const spanY = Math.max(maxY - minY, 1e-6);
  const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
  return { centerX: (minX + maxX) / 2, centerY: (minY + maxY) / 2, scale: Math.max(scale, 1e-6), width, height };
}

/** Zooms by `factor` keeping the map point under screen point `s` fixed. */
export function zoomAt(view: MapView, factor: number, s: Point): MapView {
  const anchor = toMap(view, s);
  const scale = view.scale * factor;
  return {
    ...view,
    scale,
    centerX: anchor.x - (s.x - view.width / 2) / scale,
    centerY: anchor.y + (s.y - view.height / 2) / scale,
  };
}

/** Moves the view by a screen-pixel drag. */
export function panBy(view: MapView, dx: number, dy: number): MapView {
  return { ...view, centerX: view.centerX - dx / view.scale, centerY: view.centerY + dy / view.scale };
}

/** Index of the point nearest screen point `s` within `radius` pixels, or -1. */
export function hitTest(view: MapView, points: readonly Point[], s: Point, radius: number): number {
  let best = -1;
  let bestDistance = radius * radius;
  for (let i = 0; i < points.length; i++) {
    const q = toScreen(view, points[i]);
    const d = (q.x - s.x) ** 2 + (q.y - s.y) ** 2;
    if (d <= bestDistance) {
      best = i;
      bestDistance = d;
    }
  }
  return best;
}
