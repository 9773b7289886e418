// Thumbnails of imported images ("thumb/<imageId>"), drawn from the prepared training pixels the store holds,
// so they show exactly what the model sees. Kept in a small LRU cache; cleared when the dataset changes.
import sharp from 'sharp';
import type { ProjectStore } from '../engine/store';
import type { Media } from './api';

/** Thumbnails are at most this many pixels wide (prepared images may be up to 1024). */
const MAX_SIDE = 128;
const CACHED = 2000;

export class Thumbnails {
  /** Most recently used last. */
  private readonly cache = new Map<number, Buffer>();

  async get(store: ProjectStore, imageId: number): Promise<Media | null> {
    const hit = this.cache.get(imageId);
    if (hit) {
      this.cache.delete(imageId);
      this.cache.set(imageId, hit);
      return png(hit, imageId);
    }
    const pixels = store.images.pixels(imageId);
    if (!pixels) return null;
    const size = store.getSettings().imageSize;
    // RGB, or RGBA when the project keeps transparency (the thumbnail keeps it too).
    let image = sharp(pixels, { raw: { width: size, height: size, channels: pixels.length === size * size * 4 ? 4 : 3 } });
    if (size > MAX_SIDE) image = image.resize(MAX_SIDE, MAX_SIDE, { kernel: 'lanczos3' });
    const bytes = await image.png({ compressionLevel: 6 }).toBuffer();
    this.cache.set(imageId, bytes);
    if (this.cache.size > CACHED) this.cache.delete(this.cache.keys().next().value!);
    return png(bytes, imageId);
  }

  clear(): void {
    this.cache.clear();
  }
}

function png(bytes: Buffer, imageId: number): Media {
  return { mime: 'image/png', bytes, filename: `image-${imageId}.png` };
}
