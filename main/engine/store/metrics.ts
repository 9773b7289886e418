// Loss curves: one point per (run, split, step). Points are written in batches, one transaction each. A step
// written again replaces the old point, so a run resumed from a checkpoint can simply log its steps again.
// SQLite stores NaN as NULL; a diverged loss reads back as NaN.
import type Database from 'better-sqlite3';
import { writeTransaction } from './transaction';
import type { Split } from './validation-split';

export interface MetricPoint {
  runId: number;
  split: Split;
  /** Global optimisation step. */
  step: number;
  epoch: number;
  /** Reconstruction negative log-likelihood. */
  recon: number;
  kl: number;
  /** The loss minimised (negative ELBO, with beta and warm-up applied). */
  total: number;
  bitsPerDim: number;
  /** Unix time in milliseconds when the point was measured. */
  wallTimeMs: number;
}

export interface MetricQuery {
  split?: Split;
  fromStep?: number;
  toStep?: number;
}

type MetricRow = { [K in keyof MetricPoint]: MetricPoint[K] | null };

const orNaN = (value: number | null) => (value === null ? Number.NaN : value);

export class Metrics {
  private readonly insert: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {
    this.insert = db.prepare(`
      INSERT OR REPLACE INTO metrics (run_id, split, step, epoch, recon, kl, total, bits_per_dim, wall_time_ms)
      VALUES (@runId, @split, @step, @epoch, @recon, @kl, @total, @bitsPerDim, @wallTimeMs)`);
  }

  /** Writes all points in one transaction. */
  add(points: readonly MetricPoint[]): void {
    if (points.length === 0) return;
    writeTransaction(this.db, this.file, 'save training metrics', () => {
      for (const point of points) this.insert.run(point);
    });
  }

  /** Points of a run ordered by split then step. */
  list(runId: number, query: MetricQuery = {}): MetricPoint[] {
    const rows = this.db
      .prepare(
        `SELECT run_id AS runId, split, step, epoch, recon, kl, total, bits_per_dim AS bitsPerDim,
                wall_time_ms AS wallTimeMs
         FROM metrics
         WHERE run_id = @runId AND (@split IS NULL OR split = @split) AND step BETWEEN @fromStep AND @toStep
         ORDER BY split, step`,
      )
      .all({
        runId,
        split: query.split ?? null,
        fromStep: query.fromStep ?? 0,
        toStep: query.toStep ?? Number.MAX_SAFE_INTEGER,
      }) as MetricRow[];
    return rows.map((row) => ({
      ...(row as MetricPoint),
      recon: orNaN(row.recon),
      kl: orNaN(row.kl),
      total: orNaN(row.total),
      bitsPerDim: orNaN(row.bitsPerDim),
    }));
  }

  /** Drops the points after `step`: what a run resumed from a checkpoint at `step` has not done yet. */
  discardAfter(runId: number, step: number): number {
    return writeTransaction(this.db, this.file, 'save training metrics', () =>
      this.db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, step),
    ).changes;
  }
}
