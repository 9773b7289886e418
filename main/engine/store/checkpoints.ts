// Training checkpoints: weights and optimizer state as opaque bytes from the trainer, with step, epoch, RNG
// state and a loss summary. A checkpoint is written (and old ones pruned) in one transaction, so a crash or a
// full disk leaves the previous checkpoint as it was. Each blob's sha256 is stored and checked on load.
import type Database from 'better-sqlite3';
import { ProjectError } from './errors';
import { sha256Hex } from './hash';
import { writeTransaction } from './transaction';

export interface CheckpointInput {
  runId: number;
  step: number;
  epoch: number;
  /** Anything JSON can hold that restores the random streams (seed, counters, generator state). */
  rngState: unknown;
  /** Loss summary at this point, e.g. { total, recon, kl, valTotal }. */
  losses: Record<string, number>;
  weights: Uint8Array;
  optimizer: Uint8Array;
  /** Pinned checkpoints are never pruned. */
  pinned?: boolean;
}

export interface CheckpointInfo {
  id: number;
  runId: number;
  step: number;
  epoch: number;
  createdAt: string;
  rngState: unknown;
  losses: Record<string, number>;
  weightsBytes: number;
  weightsSha256: string;
  /** 0 where the optimizer state was dropped (SaveOptions.optimizerKept): the weights alone remain. */
  optimizerBytes: number;
  optimizerSha256: string;
  pinned: boolean;
}

export interface Checkpoint extends CheckpointInfo {
  weights: Uint8Array;
  optimizer: Uint8Array;
}

export interface SaveOptions {
  /** Keep this many newest unpinned checkpoints of the run (the new one included); delete older unpinned ones. */
  keep?: number;
  /** With `keep`: also keep the best by the held-out measure (`losses.valPsnr` for a denoiser, else `losses.valTotal`). */
  keepBest?: boolean;
  /**
   * With `keep`: also keep up to this many milestones spread over the run, from its start to the newest
   * checkpoints (at least half as many once the run is long), so there is always an earlier stage worth restoring. Pinned ones and
   * those gallery images were made with are kept as well; everything else goes, so a run keeps at most
   * keep + 1 + milestones unpinned checkpoints.
   */
  milestones?: number;
  /**
   * Keep the optimizer state (needed only to resume training exactly) in this many newest unpinned checkpoints of
   * the run, the new one included; older ones keep their weights only (enough to sample, export, and go on training
   * with a fresh optimizer). The Adam moments are twice the weights' size, so this roughly halves a run's history.
   */
  optimizerKept?: number;
}

/** sha256 of no bytes: the stored checksum of an optimizer state that was dropped. */
const EMPTY_SHA256 = sha256Hex(new Uint8Array(0));

const COLUMNS = `id, run_id AS runId, step, epoch, created_at AS createdAt, rng_state AS rngState, losses,
  weights_bytes AS weightsBytes, weights_sha256 AS weightsSha256, optimizer_bytes AS optimizerBytes,
  optimizer_sha256 AS optimizerSha256, pinned`;

type InfoRow = Omit<CheckpointInfo, 'rngState' | 'losses' | 'pinned'> & { rngState: string; losses: string; pinned: number };

const toInfo = (row: InfoRow): CheckpointInfo => ({
  ...row,
  rngState: JSON.parse(row.rngState),
  losses: JSON.parse(row.losses) as Record<string, number>,
  pinned: row.pinned === 1,
});

export class Checkpoints {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  /** Writes the checkpoint and, with `keep`, prunes the run's older unpinned ones, all in one transaction. */
  save(input: CheckpointInput, options: SaveOptions = {}): CheckpointInfo {
    const { keep, keepBest = false, milestones = 0, optimizerKept } = options;
    if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) {
      throw new ProjectError('invalid-input', `keep must be a whole number of at least 1 (got ${keep})`);
    }
    if (!(Number.isInteger(milestones) && milestones >= 0)) {
      throw new ProjectError('invalid-input', `milestones must be a whole number (got ${milestones})`);
    }
    if (optimizerKept !== undefined && !(Number.isInteger(optimizerKept) && optimizerKept >= 1)) {
      throw new ProjectError('invalid-input', `optimizerKept must be a whole number of at least 1 (got ${optimizerKept})`);
    }
    const row = {
      runId: input.runId,
      step: input.step,
      epoch: input.epoch,
      createdAt: new Date().toISOString(),
      rngState: JSON.stringify(input.rngState ?? null),
      losses: JSON.stringify(input.losses),
      weightsBytes: input.weights.byteLength,
      weightsSha256: sha256Hex(input.weights),
      optimizerBytes: input.optimizer.byteLength,
      optimizerSha256: sha256Hex(input.optimizer),
      pinned: input.pinned ? 1 : 0,
    };
    const id = writeTransaction(this.db, this.file, 'save the checkpoint', () => {
      // Prune first: the pages freed are reused by the new blobs, so the file does not grow by one checkpoint.
      if (keep !== undefined) this.prune(input.runId, input.pinned ? keep : keep - 1, input.step, keepBest, milestones);
      if (optimizerKept !== undefined) this.dropOptimizerStates(input.runId, optimizerKept - 1);
      const id = this.db
        .prepare(
          `INSERT INTO checkpoints (run_id, step, epoch, created_at, rng_state, losses, weights_bytes, weights_sha256,
                                    optimizer_bytes, optimizer_sha256, pinned)
           VALUES (@runId, @step, @epoch, @createdAt, @rngState, @losses, @weightsBytes, @weightsSha256,
                   @optimizerBytes, @optimizerSha256, @pinned)
           RETURNING id`,
        )
        .pluck()
        .get(row) as number;
      this.db
        .prepare('INSERT INTO checkpoint_data (checkpoint_id, weights, optimizer) VALUES (?, ?, ?)')
        .run(id, input.weights, input.optimizer);
      return id;
    });
    return this.info(id)!;
  }

  /** Metadata of the checkpoints, newest first, without blobs. */
  list(runId?: number): CheckpointInfo[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM checkpoints WHERE @runId IS NULL OR run_id = @runId ORDER BY id DESC`)
      .all({ runId: runId ?? null }) as InfoRow[];
    return rows.map(toInfo);
  }

  info(id: number): CheckpointInfo | undefined {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM checkpoints WHERE id = ?`).get(id) as InfoRow | undefined;
    return row && toInfo(row);
  }

  /** The checkpoint with its blobs; throws ProjectError('damaged') when a blob does not match its sha256. */
  get(id: number): Checkpoint | undefined {
    const info = this.info(id);
    if (!info) return undefined;
    const blobs = this.db.prepare('SELECT weights, optimizer FROM checkpoint_data WHERE checkpoint_id = ?').get(id) as
      | { weights: Uint8Array; optimizer: Uint8Array }
      | undefined;
    const problem = !blobs
      ? 'its data is missing'
      : sha256Hex(blobs.weights) !== info.weightsSha256
        ? 'its weights do not match their checksum'
        : sha256Hex(blobs.optimizer) !== info.optimizerSha256
          ? 'its optimizer state does not match its checksum'
          : undefined;
    if (problem) throw new ProjectError('damaged', `Checkpoint ${id} (step ${info.step}) is damaged: ${problem}`);
    return { ...info, ...blobs! };
  }

  /**
   * The newest intact checkpoint of a run (or of any run). A damaged newer one is skipped, reported to
   * `onDamaged`, so training falls back to the one before.
   */
  latest(runId?: number, onDamaged?: (error: ProjectError) => void): Checkpoint | undefined {
    for (const { id } of this.list(runId)) {
      try {
        return this.get(id);
      } catch (error) {
        if (!(error instanceof ProjectError) || error.code !== 'damaged') throw error;
        onDamaged?.(error);
      }
    }
    return undefined;
  }

  /** Pinned checkpoints are kept by pruning. */
  pin(id: number, pinned = true): void {
    const { changes } = writeTransaction(this.db, this.file, 'pin the checkpoint', () =>
      this.db.prepare('UPDATE checkpoints SET pinned = ? WHERE id = ?').run(pinned ? 1 : 0, id),
    );
    if (changes === 0) throw new ProjectError('invalid-input', `There is no checkpoint ${id}`);
  }

  /** Deletes one checkpoint (weights and optimizer state with it); gallery items keep their provenance. */
  remove(id: number): void {
    const { changes } = writeTransaction(this.db, this.file, 'delete the checkpoint', () =>
      this.db.prepare('DELETE FROM checkpoints WHERE id = ?').run(id),
    );
    if (changes === 0) throw new ProjectError('invalid-input', `There is no checkpoint ${id}`);
  }

  /** Empties the optimizer state of the run's unpinned checkpoints older than its newest `newestKept`. */
  private dropOptimizerStates(runId: number, newestKept: number): void {
    const ids = this.db
      .prepare(`SELECT id FROM checkpoints WHERE run_id = ? AND pinned = 0 AND optimizer_bytes > 0 AND id NOT IN
                  (SELECT id FROM checkpoints WHERE run_id = ? AND pinned = 0 ORDER BY id DESC LIMIT ?)`)
      .pluck()
      .all(runId, runId, newestKept) as number[];
    const emptyData = this.db.prepare(`UPDATE checkpoint_data SET optimizer = x'' WHERE checkpoint_id = ?`);
    const emptyInfo = this.db.prepare('UPDATE checkpoints SET optimizer_bytes = 0, optimizer_sha256 = ? WHERE id = ?');
    for (const id of ids) {
      emptyData.run(id);
      emptyInfo.run(EMPTY_SHA256, id);
    }
  }

  /**
   * Deletes the run's unpinned checkpoints except the newest `keepUnpinned`, the best (lowest validation loss)
   * and the milestones (see SaveOptions), and those a gallery image was made with (so it can be regenerated).
   */
  private prune(runId: number, keepUnpinned: number, newStep: number, keepBest: boolean, milestones: number): void {
    const rows = this.db
      .prepare(`SELECT id, step, losses FROM checkpoints WHERE run_id = ? AND pinned = 0 ORDER BY id DESC`)
      .all(runId) as { id: number; step: number; losses: string }[];
    const candidates = rows.map((r) => ({ id: r.id, step: r.step, val: valLoss(r.losses) }));
    const kept = new Set(candidates.slice(0, keepUnpinned).map((c) => c.id));
    if (keepBest) {
      const best = candidates.filter((c) => c.val !== null).sort((a, b) => a.val! - b.val! || b.id - a.id)[0];
      if (best) kept.add(best.id);
    }
    // Milestones: the first checkpoint at or after each multiple of a spacing that doubles whenever more than
    // `milestones` would be kept. A doubled spacing keeps a subset of what the smaller one kept, so milestones
    // once dropped are never wanted again, and those kept stay spread from the start of the run to now.
    const older = candidates.filter((c) => !kept.has(c.id)).sort((a, b) => a.step - b.step || a.id - b.id);
    const firstPerBucket = (spacing: number) => {
      const firsts = new Map<number, (typeof older)[number]>();
      for (const c of older) if (!firsts.has(Math.floor(c.step / spacing))) firsts.set(Math.floor(c.step / spacing), c);
      return [...firsts.values()];
    };
    if (milestones > 0 && older.length > 0) {
      let spacing = 1;
      let chosen = firstPerBucket(spacing);
      while (chosen.length > milestones) chosen = firstPerBucket((spacing *= 2));
      for (const c of chosen) kept.add(c.id);
    }
    this.db
      .prepare(
        `DELETE FROM checkpoints WHERE run_id = @runId AND pinned = 0
         AND id NOT IN (SELECT value FROM json_each(@kept))
         AND id NOT IN (SELECT checkpoint_id FROM gallery WHERE checkpoint_id IS NOT NULL)`,
      )
      .run({ runId, kept: JSON.stringify([...kept]) });
  }
}

/**
 * What "best" means for a checkpoint, lower is better: minus the held-out denoising PSNR where one was recorded
 * (a denoiser is chosen by how well it denoises), else the validation loss; null when there was none (or it diverged).
 */
function valLoss(losses: string): number | null {
  try {
    const { valPsnr, valTotal } = JSON.parse(losses) as Record<string, unknown>;
    if (typeof valPsnr === 'number' && Number.isFinite(valPsnr)) return -valPsnr;
    return typeof valTotal === 'number' && Number.isFinite(valTotal) ? valTotal : null;
  } catch {
    return null;
  }
}
