// Draws the latent map: every dataset image as a thumbnail (or a dot when zoomed out or not loaded yet), the
// interpolation path, marks (a dropped image) and the cursor being decoded. A pure function of its inputs.
import { type MapView, type Point, toScreen } from './map-view';

export interface MapScene {
  view: MapView;
  points: readonly (Point & { thumb: string })[];
  /** Loaded thumbnail images by media ref. */
  thumbs: ReadonlyMap<string, CanvasImageSource>;
  cursor: Point | null;
  marks: readonly Point[];
  path: readonly Point[];
  /** Indices of highlighted points (e.g. chosen keyframes). */
  highlighted?: ReadonlySet<number>;
  /** view.scale relative to the scale that fits every point. */
  zoom: number;
}

export interface MapStyle {
  background: string;
  dot: string;
  accent: string;
  mark: string;
  pixelRatio: number;
}

/** Thumbnail edge in pixels: about the room each point has when the whole map fits, times the zoom; the
 * map draws dots instead below 10 px (thousands of images zoomed out). */
export function thumbSize(view: MapView, count: number, zoom: number): number {
  const perPoint = Math.sqrt((view.width * view.height) / Math.max(count, 1));
  return Math.min(64, Math.round(Math.min(40, perPoint * 0.8) * zoom));
}

export function drawMap(ctx: CanvasRenderingContext2D, scene: MapScene, style: MapStyle): void {
  const { view } = scene;
  ctx.save();
  ctx.setTransform(style.pixelRatio, 0, 0, style.pixelRatio, 0, 0);
  ctx.fillStyle = style.background;
  ctx.fillRect(0, 0, view.width, view.height);
  drawAxes(ctx, view, style);
  const size = thumbSize(view, scene.points.length, scene.zoom);
  ctx.imageSmoothingEnabled = false;
  scene.points.forEach((p, i) => {
    const s = toScreen(view, p);
    if (s.x < -size || s.y < -size || s.x > view.width + size || s.y > view.height + size) return;
    const image = scene.thumbs.get(p.thumb);
    if (image && size >= 10) ctx.drawImage(image, s.x - size / 2, s.y - size / 2, size, size);
    else {
      ctx.fillStyle = style.dot;
      ctx.fillRect(s.x - 2, s.y - 2, 4, 4);
    }
    if (scene.highlighted?.has(i)) {
      ctx.strokeStyle = style.accent;
      ctx.lineWidth = 2;
      ctx.strokeRect(s.x - size / 2 - 2, s.y - size / 2 - 2, size + 4, size + 4);
    }
  });
  drawPath(ctx, view, scene.path, style.accent);
  for (const m of scene.marks) ring(ctx, toScreen(view, m), 9, style.mark, 3);
  if (scene.cursor) {
    const c = toScreen(view, scene.cursor);
    ring(ctx, c, 7, style.accent, 2.5);
    ctx.beginPath();
    ctx.moveTo(c.x - 12, c.y);
    ctx.lineTo(c.x + 12, c.y);
    ctx.moveTo(c.x, c.y - 12);
    ctx.lineTo(c.x, c.y + 12);
    ctx.stroke();
  }
  ctx.restore();
}

function drawAxes(ctx: CanvasRenderingContext2D, view: MapView, style: MapStyle): void {
  const o = toScreen(view, { x: 0, y: 0 });
  ctx.strokeStyle = style.dot;
  ctx.globalAlpha = 0.25;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, o.y);
  ctx.lineTo(view.width, o.y);
  ctx.moveTo(o.x, 0);
  ctx.lineTo(o.x, view.height);
  ctx.stroke();
  ctx.globalAlpha = 1;
}

function drawPath(ctx: CanvasRenderingContext2D, view: MapView, path: readonly Point[], color: string): void {
  if (path.length < 2) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.beginPath();
  path.forEach((p, i) => {
    const s = toScreen(view, p);
    if (i === 0) ctx.moveTo(s.x, s.y);
    else ctx.lineTo(s.x, s.y);
  });
  ctx.stroke();
  ctx.fillStyle = color;
  for (const p of path) {
    const s = toScreen(view, p);
    ctx.fillRect(s.x - 2.5, s.y - 2.5, 5, 5);
  }
}

function ring(ctx: CanvasRenderingContext2D, c: Point, r: number, color: string, width: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.arc(c.x, c.y, r, 0, Math.PI * 2);
  ctx.stroke();
}
