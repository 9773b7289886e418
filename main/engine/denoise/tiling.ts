/**
 * Runs a per-tile function (a denoiser) over an image of any size: overlapping tiles, blended with a separable
 * raised-cosine window so there are no seams. Tiles are cut when their turn comes (memory: the output plus the
 * tiles in flight, one unless `concurrency` says more). Pixels are interleaved (HWC): data[(y * width + x) * channels + c].
 *
 * Tiles are `tile`×`tile` (smaller only when the image is), spread evenly so neighbours overlap by at least
 * `overlap`. Blending is an incremental weighted mean, out += (v - out) · w / W, in which W is the weight summed
 * so far (known in closed form because the windows are separable and tiles run in row-major order). The first
 * tile at a pixel is copied exactly, and a tile that agrees with what is already there changes nothing: an image
 * that fits in one tile gives exactly fn(image), and an identity fn reproduces the input exactly.
 */

export interface TiledImage {
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

/** A tile's size; a plain number means a square tile. */
export type TileSize = number | { width: number; height: number };

export type TileFn = (tile: Float32Array, width: number, height: number) => Float32Array | Promise<Float32Array>;

export interface TiledOptions {
  signal?: AbortSignal;
  /**
   * Tiles whose fn may run at the same time (e.g. one per worker thread); default 1. Results are still blended
   * one at a time in row-major order, so the output does not depend on it. Memory: this many tiles in flight.
   */
  concurrency?: number;
  /** After each tile: tiles done and in all. */
  onTile?: (done: number, total: number) => void;
}

/** One axis of the tile grid: where each tile starts, its length, and its blending window. */
interface Axis {
  starts: number[];
  length: number;
  windows: Float64Array[];
  /** Sum of all windows at each position of the axis. */
  total: Float64Array;
}

export async function processTiled(
  image: TiledImage,
  tile: TileSize,
  overlap: number,
  fn: TileFn,
  opts: TiledOptions = {},
): Promise<TiledImage> {
  const { data, width, height, channels } = image;
  const tileW = typeof tile === 'number' ? tile : tile.width;
  const tileH = typeof tile === 'number' ? tile : tile.height;
  checkArgs(image, tileW, overlap);
  checkArgs(image, tileH, overlap);
  const xs = axis(width, tileW, overlap);
  const ys = axis(height, tileH, overlap);
  const out = new Float32Array(width * height * channels);
  const tw = xs.length;
  const th = ys.length;
  const rowLen = tw * channels;
  const total = xs.starts.length * ys.starts.length;
  let done = 0;
  const tileValues = tw * th * channels;

  const cut = (t: number): Float32Array => {
    const x0 = xs.starts[t % xs.starts.length];
    const y0 = ys.starts[Math.floor(t / xs.starts.length)];
    const input = new Float32Array(tileValues);
    for (let ty = 0; ty < th; ty++) {
      const from = ((y0 + ty) * width + x0) * channels;
      input.set(data.subarray(from, from + rowLen), ty * rowLen);
    }
    return input;
  };
  // Tiles in flight, in row-major order; the next one starts as soon as one is blended.
  const inFlight: Promise<Float32Array>[] = [];
  let started = 0;
  const startMore = () => {
    while (started < total && inFlight.length < Math.max(1, opts.concurrency ?? 1)) {
      opts.signal?.throwIfAborted();
      const promise = Promise.resolve(fn(cut(started), tw, th));
      promise.catch(() => undefined); // awaited in order below; a rejection must not be "unhandled" meanwhile
      inFlight.push(promise);
      started++;
    }
  };

  for (let j = 0; j < ys.starts.length; j++) {
    const y0 = ys.starts[j];
    const wy = ys.windows[j];
    const prevY = sumBefore(ys, j); // weight of the tile rows already blended, per row of this tile
    for (let i = 0; i < xs.starts.length; i++) {
      startMore();
      const x0 = xs.starts[i];
      const wx = xs.windows[i];
      const cumX = sumUpTo(xs, i); // weight of this tile row's tiles so far, per column of this tile

      const result = await inFlight.shift()!;
      opts.signal?.throwIfAborted();
      if (!(result instanceof Float32Array) || result.length !== tileValues) {
        throw new Error(`The tile function must return a Float32Array of ${tileValues} values (${tw}×${th}×${channels})`);
      }

      for (let ty = 0; ty < th; ty++) {
        const wyv = wy[ty];
        const before = prevY[ty];
        const outRow = ((y0 + ty) * width + x0) * channels;
        const inRow = ty * rowLen;
        for (let tx = 0; tx < tw; tx++) {
          const w = wyv * wx[tx];
          const r = w / (before * xs.total[x0 + tx] + wyv * cumX[tx]);
          const o = outRow + tx * channels;
          const s = inRow + tx * channels;
          if (r === 1) {
            for (let c = 0; c < channels; c++) out[o + c] = result[s + c];
          } else {
            for (let c = 0; c < channels; c++) out[o + c] += (result[s + c] - out[o + c]) * r;
          }
        }
      }
      done += 1;
      opts.onTile?.(done, total);
    }
  }
  return { data: out, width, height, channels };
}

function checkArgs(image: TiledImage, tile: number, overlap: number): void {
  const { data, width, height, channels } = image;
  for (const [name, n] of [['width', width], ['height', height], ['channels', channels], ['tile', tile]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number ≥ 1 (got ${n})`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= tile) {
    throw new RangeError(`overlap must be a whole number from 0 to tile - 1 (got ${overlap} for tile ${tile})`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(`image data has ${data.length} values, expected ${width}×${height}×${channels}`);
  }
}

/** Tile starts along an axis of `size`, evenly spread, first at 0 and last ending at the border. */
export function tileStarts(size: number, tile: number, overlap: number): number[] {
  if (size <= tile) return [0];
  const n = Math.ceil((size - tile) / (tile - overlap)) + 1;
  return Array.from({ length: n }, (_, i) => Math.round((i * (size - tile)) / (n - 1)));
}

function axis(size: number, tile: number, overlap: number): Axis {
  const length = Math.min(size, tile);
  const starts = tileStarts(size, tile, overlap);
  const windows = starts.map((start, i) => {
    // Ramp down over the overlap with each neighbour (at most half the tile); no ramp at the image border.
    const left = i > 0 ? Math.min(starts[i - 1] + length - start, length >> 1) : 0;
    const right = i < starts.length - 1 ? Math.min(start + length - starts[i + 1], length >> 1) : 0;
    const w = new Float64Array(length);
    for (let p = 0; p < length; p++) w[p] = ramp(p, left) * ramp(length - 1 - p, right);
    return w;
  });
  const total = new Float64Array(size);
  starts.forEach((start, i) => windows[i].forEach((v, p) => (total[start + p] += v)));
  return { starts, length, windows, total };
}

/** Raised cosine rising over `width` pixels from the edge (p = distance from the edge); always > 0. */
function ramp(p: number, width: number): number {
  if (p >= width) return 1;
  const s = Math.sin((Math.PI / 2) * ((p + 0.5) / width));
  return s * s;
}

/** Per position of tile k: the summed windows of tiles before k that cover it. */
function sumBefore(a: Axis, k: number): Float64Array {
  const sums = new Float64Array(a.length);
  for (let m = k - 1; m >= 0 && a.starts[m] + a.length > a.starts[k]; m--) addWindow(sums, a, m, k);
  return sums;
}

/** Per position of tile k: the summed windows of tiles up to and including k. */
function sumUpTo(a: Axis, k: number): Float64Array {
  const sums = sumBefore(a, k);
  const own = a.windows[k];
  for (let p = 0; p < a.length; p++) sums[p] += own[p];
  return sums;
}

function addWindow(sums: Float64Array, a: Axis, m: number, k: number): void {
  const offset = a.starts[k] - a.starts[m];
  for (let p = 0; p + offset < a.length; p++) sums[p] += a.windows[m][p + offset];
}
