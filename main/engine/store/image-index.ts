// The index of imported image files: one row per file under an import root, with its content hash, what
// became of it ('ok', 'failed' with the reason, or 'duplicate' of another file), its train/val split and
// the prepared size×size×channels pixels the model trains on (kept for duplicates too, see duplicates.ts).
import type Database from 'better-sqlite3';
import { duplicateReason, findOriginal, promoteDuplicates } from './duplicates';
import { ProjectError } from './errors';
import { readTrainingPixels, readImagePixels, type TrainingPixels } from './training-pixels';
import { writeTransaction } from './transaction';
import type { ImageCounts, ImageFilter, ImageInput, ImageRecord, ImageStatus } from './image-types';
import { balanceValidation, splitForHash, type Split } from './validation-split';

const RECORD_COLUMNS = `id, root, path, sha256, byte_size AS byteSize, mtime_ms AS mtimeMs, width, height, format,
  status, error, split, updated_at AS updatedAt`;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class ImageIndex {
  private readonly upsertRow: Database.Statement;
  private readonly findRow: Database.Statement;
  private readonly savePixels: Database.Statement;
  private readonly dropPixels: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    /** Bytes of one prepared image under the project's current settings. */
    private readonly bytesPerImage: () => number,
  ) {
    this.upsertRow = db.prepare(`
      INSERT INTO images (root, path, sha256, byte_size, mtime_ms, width, height, format, status, error, split,
                          split_forced, updated_at)
      VALUES (@root, @path, @sha256, @byteSize, @mtimeMs, @width, @height, @format, @status, @error, @split, 0,
              @updatedAt)
      ON CONFLICT (root, path) DO UPDATE SET
        sha256 = excluded.sha256, byte_size = excluded.byte_size, mtime_ms = excluded.mtime_ms,
        width = excluded.width, height = excluded.height, format = excluded.format, status = excluded.status,
        error = excluded.error, split = excluded.split, split_forced = 0, updated_at = excluded.updated_at
      RETURNING id`).pluck();
    this.findRow = db.prepare('SELECT status, sha256 FROM images WHERE root = ? AND path = ?');
    this.savePixels = db.prepare(
      'INSERT INTO image_pixels (image_id, data) VALUES (?, ?) ON CONFLICT (image_id) DO UPDATE SET data = excluded.data',
    );
    this.dropPixels = db.prepare('DELETE FROM image_pixels WHERE image_id = ?');
  }

  /**
   * Adds or replaces the row for (root, path). An 'ok' image whose content another file already holds is stored
   * as 'duplicate' (no pixels) with the other file named in `error`. Returns what was stored.
   */
  upsert(image: ImageInput): ImageRecord {
    return this.upsertMany([image])[0];
  }

  /** upsert() for many files in one transaction: much faster than one commit (and fsync) per file. */
  upsertMany(images: readonly ImageInput[]): ImageRecord[] {
    images.forEach((image) => this.check(image));
    return writeTransaction(this.db, this.file, 'save the image index', () => {
      const orphaned = new Set<string>();
      const ids = images.map((image) => this.write(image, orphaned));
      promoteDuplicates(this.db, orphaned);
      balanceValidation(this.db);
      return ids.map((id) => this.byId(id));
    });
  }

  find(root: string, path: string): ImageRecord | undefined {
    return this.db.prepare(`SELECT ${RECORD_COLUMNS} FROM images WHERE root = ? AND path = ?`).get(root, path) as
      | ImageRecord
      | undefined;
  }

  /** Rows in root/path order, without pixels. */
  list(filter: ImageFilter = {}): ImageRecord[] {
    const where: string[] = [];
    if (filter.root !== undefined) where.push('root = @root');
    if (filter.status !== undefined) where.push('status = @status');
    if (filter.split !== undefined) where.push('split = @split');
    const sql = `SELECT ${RECORD_COLUMNS} FROM images ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY root, path LIMIT @limit OFFSET @offset`;
    return this.db.prepare(sql).all({ ...filter, limit: filter.limit ?? -1, offset: filter.offset ?? 0 }) as ImageRecord[];
  }

  /** All usable images of a split as one contiguous array, ready for a training tensor. */
  loadPixels(split: Split): TrainingPixels {
    return readTrainingPixels(this.db, split, this.bytesPerImage());
  }

  /** The prepared pixels of one usable image. */
  pixels(id: number): Uint8Array | undefined {
    return readImagePixels(this.db, id);
  }

  /** Whether any file has prepared pixels (usable images and duplicates). */
  hasPreparedPixels(): boolean {
    return this.db.prepare('SELECT EXISTS (SELECT 1 FROM image_pixels)').pluck().get() === 1;
  }

  /**
   * Files whose prepared pixels are not of the project's current byte length: prepared before the project changed
   * between RGB and RGBA (or during an import stopped half-way through that change). Import prepares them again.
   */
  stale(): { root: string; path: string; byteSize: number; mtimeMs: number }[] {
    return this.db
      .prepare(
        `SELECT i.root, i.path, i.byte_size AS byteSize, i.mtime_ms AS mtimeMs
         FROM images i JOIN image_pixels p ON p.image_id = i.id WHERE length(p.data) <> ? ORDER BY i.root, i.path`,
      )
      .all(this.bytesPerImage()) as { root: string; path: string; byteSize: number; mtimeMs: number }[];
  }

  /** The files that could not be used, with the reason for each. */
  failures(): ImageRecord[] {
    return this.list({ status: 'failed' });
  }

  counts(): ImageCounts {
    const counts: ImageCounts = { total: 0, ok: 0, failed: 0, duplicate: 0, train: 0, val: 0 };
    const rows = this.db.prepare('SELECT status, split, count(*) AS n FROM images GROUP BY status, split').all() as {
      status: ImageStatus;
      split: Split | null;
      n: number;
    }[];
    for (const { status, split, n } of rows) {
      counts.total += n;
      counts[status] += n;
      if (split) counts[split] += n;
    }
    return counts;
  }

  /**
   * Forgets the files under `root` that a new scan did not see. Call it right after scanning and before
   * upserting, so a copy of a deleted file is taken as 'ok' rather than as its duplicate. Returns how many went.
   */
  removeMissing(root: string, seenPaths: Iterable<string>): number {
    const seen = new Set(seenPaths);
    return writeTransaction(this.db, this.file, 'update the image index', () => {
      const rows = this.db.prepare('SELECT id, path, status, sha256 FROM images WHERE root = ?').all(root) as {
        id: number;
        path: string;
        status: ImageStatus;
        sha256: string | null;
      }[];
      const remove = this.db.prepare('DELETE FROM images WHERE id = ?');
      const gone = rows.filter((row) => !seen.has(row.path));
      for (const row of gone) remove.run(row.id);
      promoteDuplicates(this.db, gone.filter((row) => row.status === 'ok').map((row) => row.sha256!));
      if (gone.length > 0) balanceValidation(this.db);
      return gone.length;
    });
  }

  private check(image: ImageInput): void {
    if (image.status !== 'ok') return;
    if (!SHA256_HEX.test(image.sha256)) {
      throw new ProjectError('invalid-input', `The sha256 of ${image.path} must be 64 lowercase hex digits`);
    }
    if (image.pixels.byteLength !== this.bytesPerImage()) {
      throw new ProjectError(
        'invalid-input',
        `Prepared pixels of ${image.path} are ${image.pixels.byteLength} bytes; this project needs ${this.bytesPerImage()}`,
      );
    }
  }

  /** Writes one row; adds to `orphaned` the content this file held as the usable copy and no longer does. */
  private write(image: ImageInput, orphaned: Set<string>): number {
    const before = this.findRow.get(image.root, image.path) as { status: ImageStatus; sha256: string } | undefined;
    const original = image.status === 'ok' ? findOriginal(this.db, image.sha256, image) : undefined;
    const status: ImageStatus = original ? 'duplicate' : image.status;
    if (before?.status === 'ok' && !(status === 'ok' && image.sha256 === before.sha256)) orphaned.add(before.sha256);
    const error = image.status === 'failed' ? image.error : original ? duplicateReason(original, image.root) : null;
    const id = this.upsertRow.get({
      root: image.root,
      path: image.path,
      sha256: image.sha256 ?? null,
      byteSize: image.byteSize,
      mtimeMs: image.mtimeMs,
      width: image.width ?? null,
      height: image.height ?? null,
      format: image.format ?? null,
      status,
      error,
      split: status === 'ok' ? splitForHash(image.sha256!) : null,
      updatedAt: new Date().toISOString(),
    }) as number;
    if (image.status === 'ok') {
      this.savePixels.run(id, image.pixels);
    } else {
      this.dropPixels.run(id);
    }
    return id;
  }

  private byId(id: number): ImageRecord {
    return this.db.prepare(`SELECT ${RECORD_COLUMNS} FROM images WHERE id = ?`).get(id) as ImageRecord;
  }
}
