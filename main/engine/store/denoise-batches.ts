// Denoise batches and their per-file status. The batch runner (engine/denoise/batch.ts) drives the life cycle:
// pending → (output claimed) → done, or skipped / failed with a reason. Rows only; no file system access here.
import type Database from 'better-sqlite3';
import { ProjectError } from './errors';
import { writeTransaction } from './transaction';

export const CONFLICT_POLICIES = ['rename', 'skip', 'overwrite'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];
export const DENOISE_BATCH_STATUSES = ['created', 'running', 'completed', 'stopped', 'cancelled'] as const;
export type DenoiseBatchStatus = (typeof DENOISE_BATCH_STATUSES)[number];
export const DENOISE_ITEM_STATUSES = ['pending', 'done', 'skipped', 'failed'] as const;
export type DenoiseItemStatus = (typeof DENOISE_ITEM_STATUSES)[number];

export interface DenoiseBatch {
  id: number;
  inputFolder: string;
  outputFolder: string;
  onConflict: ConflictPolicy;
  status: DenoiseBatchStatus;
  /** Why the batch stopped, when it did. */
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DenoiseItem {
  batchId: number;
  /** Path below the input folder, '/'-separated. */
  path: string;
  status: DenoiseItemStatus;
  /** Claimed or written output (absolute); for a skipped item, the existing file that caused the skip. */
  outputPath: string | null;
  /** sha256 of the output bytes, recorded with the claim. */
  outputSha256: string | null;
  /** Why the item failed or was skipped. */
  error: string | null;
  /** sha256 of the input as read. */
  sha256: string | null;
  /** Noise σ (0..255) estimated from the photo, and the σ its denoising was set for; null until it is denoised. */
  estimatedSigma: number | null;
  sigma: number | null;
  updatedAt: string;
}

/** What an item's denoising measured and used, recorded with its output. */
export interface ItemNoise {
  estimatedSigma: number | null;
  sigma: number | null;
}

export type DenoiseItemCounts = Record<DenoiseItemStatus, number>;

const BATCH_COLUMNS = `id, input_folder AS inputFolder, output_folder AS outputFolder, on_conflict AS onConflict, status,
  error, created_at AS createdAt, updated_at AS updatedAt`;
const ITEM_COLUMNS = `batch_id AS batchId, path, status, output_path AS outputPath, output_sha256 AS outputSha256, error,
  sha256, estimated_sigma AS estimatedSigma, sigma, updated_at AS updatedAt`;
const now = () => new Date().toISOString();
const NO_NOISE: ItemNoise = { estimatedSigma: null, sigma: null };

export class DenoiseBatches {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  create(batch: { inputFolder: string; outputFolder: string; onConflict: ConflictPolicy }): DenoiseBatch {
    if (!CONFLICT_POLICIES.includes(batch.onConflict)) {
      throw new ProjectError('invalid-input', `On conflict must be one of: ${CONFLICT_POLICIES.join(', ')}`);
    }
    const time = now();
    const id = writeTransaction(this.db, this.file, 'start the denoise batch', () =>
      this.db
        .prepare(
          `INSERT INTO denoise_batches (input_folder, output_folder, on_conflict, status, created_at, updated_at)
           VALUES (?, ?, ?, 'created', ?, ?) RETURNING id`,
        )
        .pluck()
        .get(batch.inputFolder, batch.outputFolder, batch.onConflict, time, time),
    ) as number;
    return this.get(id)!;
  }

  get(id: number): DenoiseBatch | undefined {
    return this.db.prepare(`SELECT ${BATCH_COLUMNS} FROM denoise_batches WHERE id = ?`).get(id) as DenoiseBatch | undefined;
  }

  /** Newest first. */
  list(): DenoiseBatch[] {
    return this.db.prepare(`SELECT ${BATCH_COLUMNS} FROM denoise_batches ORDER BY id DESC`).all() as DenoiseBatch[];
  }

  /** The newest batch from `inputFolder` to `outputFolder` (as stored, i.e. resolved paths), if any. */
  latestFor(inputFolder: string, outputFolder: string): DenoiseBatch | undefined {
    return this.db
      .prepare(`SELECT ${BATCH_COLUMNS} FROM denoise_batches WHERE input_folder = ? AND output_folder = ? ORDER BY id DESC LIMIT 1`)
      .get(inputFolder, outputFolder) as DenoiseBatch | undefined;
  }

  update(id: number, change: { status?: DenoiseBatchStatus; error?: string | null; onConflict?: ConflictPolicy }): void {
    const batch = this.get(id);
    if (!batch) throw new ProjectError('invalid-input', `There is no denoise batch ${id}`);
    writeTransaction(this.db, this.file, 'save the denoise batch', () =>
      this.db
        .prepare('UPDATE denoise_batches SET status = ?, error = ?, on_conflict = ?, updated_at = ? WHERE id = ?')
        .run(
          change.status ?? batch.status,
          change.error === undefined ? batch.error : change.error,
          change.onConflict ?? batch.onConflict,
          now(),
          id,
        ),
    );
  }

  delete(id: number): void {
    writeTransaction(this.db, this.file, 'delete the denoise batch', () =>
      this.db.prepare('DELETE FROM denoise_batches WHERE id = ?').run(id),
    );
  }

  /** Adds files as pending; files already in the batch keep their status. Returns how many were new. */
  addItems(batchId: number, paths: readonly string[]): number {
    const insert = this.db.prepare(
      `INSERT INTO denoise_items (batch_id, path, status, updated_at) VALUES (?, ?, 'pending', ?) ON CONFLICT DO NOTHING`,
    );
    const time = now();
    return writeTransaction(this.db, this.file, 'record the files of the denoise batch', () => {
      let added = 0;
      for (const path of paths) added += insert.run(batchId, path, time).changes;
      return added;
    });
  }

  /** Sets failed and skipped items back to pending (for another try); done items stay done. */
  retryUnfinished(batchId: number): number {
    return writeTransaction(this.db, this.file, 'save the denoise batch', () =>
      this.db
        .prepare(
          `UPDATE denoise_items SET status = 'pending', output_path = NULL, output_sha256 = NULL, error = NULL, estimated_sigma = NULL,
             sigma = NULL, updated_at = ?
           WHERE batch_id = ? AND status IN ('failed', 'skipped')`,
        )
        .run(now(), batchId),
    ).changes;
  }

  item(batchId: number, path: string): DenoiseItem | undefined {
    return this.db.prepare(`SELECT ${ITEM_COLUMNS} FROM denoise_items WHERE batch_id = ? AND path = ?`).get(batchId, path) as
      | DenoiseItem
      | undefined;
  }

  /** Items in path order, optionally of one status. */
  items(batchId: number, status?: DenoiseItemStatus): DenoiseItem[] {
    return this.db
      .prepare(`SELECT ${ITEM_COLUMNS} FROM denoise_items WHERE batch_id = @batchId AND (@status IS NULL OR status = @status) ORDER BY path`)
      .all({ batchId, status: status ?? null }) as DenoiseItem[];
  }

  counts(batchId: number): DenoiseItemCounts {
    const counts: DenoiseItemCounts = { pending: 0, done: 0, skipped: 0, failed: 0 };
    const rows = this.db
      .prepare('SELECT status, count(*) AS n FROM denoise_items WHERE batch_id = ? GROUP BY status')
      .all(batchId) as Array<{ status: DenoiseItemStatus; n: number }>;
    for (const { status, n } of rows) counts[status] = n;
    return counts;
  }

  /** Whether another item of the batch has claimed or written `outputPath` (case-insensitively where asked). */
  isOutputTaken(batchId: number, outputPath: string, exceptPath: string, ignoreCase = false): boolean {
    const sql = `SELECT 1 FROM denoise_items WHERE batch_id = ? AND path <> ? AND status IN ('pending', 'done') AND
      ${ignoreCase ? 'lower(output_path) = lower(?)' : 'output_path = ?'} LIMIT 1`;
    return this.db.prepare(sql).get(batchId, exceptPath, outputPath) !== undefined;
  }

  /** Records, before the file is written, where the item's output goes, what it will contain and the photo's noise. */
  claimOutput(batchId: number, path: string, outputPath: string, outputSha256: string, sha256: string, noise: ItemNoise = NO_NOISE): void {
    this.setItem(batchId, path, 'pending', { outputPath, outputSha256, sha256, error: null, ...noise }, 'claim the output file');
  }

  /** Marks a claimed item done; call only after its output was renamed into place. */
  markDone(batchId: number, path: string): void {
    const changed = writeTransaction(this.db, this.file, 'mark the file done', () =>
      this.db
        .prepare(
          `UPDATE denoise_items SET status = 'done', error = NULL, updated_at = ?
           WHERE batch_id = ? AND path = ? AND output_path IS NOT NULL`,
        )
        .run(now(), batchId, path),
    ).changes;
    if (changed === 0) throw new ProjectError('invalid-input', `${path} has no claimed output in denoise batch ${batchId}`);
  }

  markSkipped(batchId: number, path: string, reason: string, existing: string, sha256: string | null): void {
    this.setItem(batchId, path, 'skipped', { outputPath: existing, outputSha256: null, sha256, error: reason, ...NO_NOISE }, 'save the file status');
  }

  markFailed(batchId: number, path: string, reason: string, sha256: string | null = null): void {
    this.setItem(batchId, path, 'failed', { outputPath: null, outputSha256: null, sha256, error: reason, ...NO_NOISE }, 'save the file status');
  }

  private setItem(
    batchId: number,
    path: string,
    status: DenoiseItemStatus,
    v: { outputPath: string | null; outputSha256: string | null; sha256: string | null; error: string | null } & ItemNoise,
    action: string,
  ): void {
    writeTransaction(this.db, this.file, action, () =>
      this.db
        .prepare(
          `INSERT INTO denoise_items (batch_id, path, status, output_path, output_sha256, error, sha256, estimated_sigma, sigma, updated_at)
           VALUES (@batchId, @path, @status, @outputPath, @outputSha256, @error, @sha256, @estimatedSigma, @sigma, @time)
           ON CONFLICT (batch_id, path) DO UPDATE SET status = excluded.status, output_path = excluded.output_path,
             output_sha256 = excluded.output_sha256, error = excluded.error, sha256 = excluded.sha256,
             estimated_sigma = excluded.estimated_sigma, sigma = excluded.sigma, updated_at = excluded.updated_at`,
        )
        .run({ batchId, path, status, ...v, time: now() }),
    );
  }
}
