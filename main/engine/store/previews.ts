// Preview images saved during training (reconstructions of held-out images, samples from the prior), as PNG
// bytes, so the run's history can be browsed later without the model.
import type Database from 'better-sqlite3';
import { isPng } from '../images/sniff';
import { ProjectError } from './errors';
import { writeTransaction } from './transaction';

export const PREVIEW_KINDS = ['reconstruction', 'samples'] as const;
export type PreviewKind = (typeof PREVIEW_KINDS)[number];

export interface PreviewInput {
  runId: number;
  epoch: number;
  step: number;
  kind: PreviewKind;
  png: Uint8Array;
}

export interface PreviewInfo {
  id: number;
  runId: number;
  epoch: number;
  step: number;
  kind: PreviewKind;
  createdAt: string;
  bytes: number;
}

export interface Preview extends PreviewInfo {
  png: Uint8Array;
}

const INFO_COLUMNS = 'id, run_id AS runId, epoch, step, kind, created_at AS createdAt, length(png) AS bytes';

export class Previews {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  add(preview: PreviewInput): PreviewInfo {
    if (!isPng(preview.png)) {
      throw new ProjectError('invalid-input', 'A preview must be a PNG image');
    }
    const id = writeTransaction(this.db, this.file, 'save the preview', () =>
      this.db
        .prepare(
          `INSERT INTO previews (run_id, epoch, step, kind, created_at, png)
           VALUES (@runId, @epoch, @step, @kind, @createdAt, @png) RETURNING id`,
        )
        .pluck()
        .get({ ...preview, createdAt: new Date().toISOString() }),
    ) as number;
    return this.db.prepare(`SELECT ${INFO_COLUMNS} FROM previews WHERE id = ?`).get(id) as PreviewInfo;
  }

  /** A run's previews in step order, without the PNG bytes. */
  list(runId: number, kind?: PreviewKind): PreviewInfo[] {
    return this.db
      .prepare(
        `SELECT ${INFO_COLUMNS} FROM previews WHERE run_id = @runId AND (@kind IS NULL OR kind = @kind)
         ORDER BY step, id`,
      )
      .all({ runId, kind: kind ?? null }) as PreviewInfo[];
  }

  get(id: number): Preview | undefined {
    return this.db.prepare(`SELECT ${INFO_COLUMNS}, png FROM previews WHERE id = ?`).get(id) as Preview | undefined;
  }
}
