// Reads prepared images out of the index for training: one allocation, one query, in content (sha256) order
// so the same dataset yields the same array whatever order its files were imported in.
import type Database from 'better-sqlite3';
import { ProjectError } from './errors';
import type { Split } from './validation-split';

export interface TrainingPixels {
  /** Number of images. */
  count: number;
  /** count × size × size × channels bytes (RGB, or straight RGBA), image after image. */
  data: Uint8Array;
  /** Image ids in the order of `data`. */
  imageIds: number[];
}

export function readTrainingPixels(db: Database.Database, split: Split, bytesPerImage: number): TrainingPixels {
  // One read transaction: the count and the rows come from the same snapshot even if another process writes.
  return db.transaction(() => {
    const count = db.prepare(`SELECT count(*) FROM images WHERE status = 'ok' AND split = ?`).pluck().get(split) as number;
    const data = new Uint8Array(count * bytesPerImage);
    const imageIds: number[] = [];
    const rows = db
      .prepare(
        `SELECT i.id, p.data FROM images i JOIN image_pixels p ON p.image_id = i.id
         WHERE i.status = 'ok' AND i.split = ? ORDER BY i.sha256`,
      )
      .raw()
      .iterate(split) as IterableIterator<[number, Uint8Array]>;
    for (const [id, pixels] of rows) {
      if (pixels.byteLength !== bytesPerImage || imageIds.length === count) {
        throw new ProjectError('damaged', `The prepared pixels of image ${id} are damaged; import the folder again`);
      }
      data.set(pixels, imageIds.length * bytesPerImage);
      imageIds.push(id);
    }
    if (imageIds.length !== count) {
      throw new ProjectError('damaged', `${count - imageIds.length} usable image(s) have no prepared pixels; import the folder again`);
    }
    return { count, data, imageIds };
  })();
}

export function readImagePixels(db: Database.Database, id: number): Uint8Array | undefined {
  return db.prepare('SELECT data FROM image_pixels WHERE image_id = ?').pluck().get(id) as Uint8Array | undefined;
}
