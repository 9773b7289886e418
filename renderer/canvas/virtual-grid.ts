// Windowing for the thumbnail grid: which items are on screen (plus a margin), so only those are in the DOM.

export interface GridLayout {
  columns: number;
  /** Height of one row including the gap. */
  rowHeight: number;
  totalHeight: number;
}

export interface GridWindow {
  /** First and one-past-last item index to render. */
  start: number;
  end: number;
  /** Pixel offset of the first rendered row. */
  offsetY: number;
}

export function gridLayout(containerWidth: number, cellSize: number, gap: number, total: number): GridLayout {
  const columns = Math.max(1, Math.floor((containerWidth + gap) / (cellSize + gap)));
  const rowHeight = cellSize + gap;
  const rows = Math.ceil(total / columns);
  return { columns, rowHeight, totalHeight: rows * rowHeight };
}

export function visibleWindow(layout: GridLayout, scrollTop: number, viewportHeight: number, total: number, overscanRows = 2): GridWindow {
  const firstRow = Math.max(0, Math.floor(scrollTop / layout.rowHeight) - overscanRows);
  const lastRow = Math.ceil((scrollTop + viewportHeight) / layout.rowHeight) + overscanRows;
  const start = Math.min(total, firstRow * layout.columns);
  const end = Math.min(total, lastRow * layout.columns);
  return { start, end, offsetY: firstRow * layout.rowHeight };
}

/** Page indices (of `pageSize` items) that cover items [start, end). */
export function pagesCovering(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p * pageSize < end; p++) pages.push(p);
  return pages;
}
