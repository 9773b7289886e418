// Training runs: when each started, the configuration it trains with, and where it stands. The config is
// stored as JSON and checked against shared/training-config.ts on the way in and out, so readers get it typed.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { NETWORKS, trainingSettingsSchema } from '../../../shared/training-config';
import { ProjectError } from './errors';
import { writeTransaction } from './transaction';

export const RUN_STATUSES = ['created', 'running', 'paused', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** A run's configuration: its training settings and the model shape it was created for. */
export const runConfigSchema = trainingSettingsSchema.extend({
  imageSize: z.number().int().positive(),
  latentSize: z.number().int().positive(),
  /** A generator's layers; absent for denoisers and for runs made before there was a choice (classic). */
  network: z.enum(NETWORKS).optional(),
  /** Channels of the images the run trains on; absent in runs from before transparency (RGB). */
  imageChannels: z.union([z.literal(3), z.literal(4)]).optional(),
});
export type RunConfig = z.infer<typeof runConfigSchema>;

export interface Run {
  id: number;
  createdAt: string;
  updatedAt: string;
  config: RunConfig;
  status: RunStatus;
  /** Why a run failed, when it did. */
  error: string | null;
}

const COLUMNS = 'id, created_at AS createdAt, updated_at AS updatedAt, config, status, error';

type RunRow = Omit<Run, 'config'> & { config: string };

const toRun = (row: RunRow | undefined): Run | undefined => row && { ...row, config: parseConfig(row.id, row.config) };

export class Runs {
  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  create(config: RunConfig, status: RunStatus = 'created'): Run {
    config = checkConfig(config);
    const now = new Date().toISOString();
    const id = writeTransaction(this.db, this.file, 'start a new run', () =>
      this.db
        .prepare('INSERT INTO runs (created_at, updated_at, config, status) VALUES (?, ?, ?, ?) RETURNING id')
        .pluck()
        .get(now, now, JSON.stringify(config), status),
    ) as number;
    return this.get(id)!;
  }

  get(id: number): Run | undefined {
    return toRun(this.db.prepare(`SELECT ${COLUMNS} FROM runs WHERE id = ?`).get(id) as RunRow | undefined);
  }

  /** Newest first. */
  list(): Run[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM runs ORDER BY id DESC`).all() as RunRow[]).map((row) => toRun(row)!);
  }

  latest(): Run | undefined {
    return toRun(this.db.prepare(`SELECT ${COLUMNS} FROM runs ORDER BY id DESC LIMIT 1`).get() as RunRow | undefined);
  }

  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    const changed = writeTransaction(this.db, this.file, 'save the run status', () =>
      this.db
        .prepare('UPDATE runs SET status = ?, error = ?, updated_at = ? WHERE id = ?')
        .run(status, error, new Date().toISOString(), id),
    ).changes;
    if (changed === 0) throw new ProjectError('invalid-input', `There is no run ${id}`);
  }

  /** Replaces a run's config, e.g. when a resumed run is given more epochs. Deciding what may change is the trainer's. */
  updateConfig(id: number, config: RunConfig): void {
    config = checkConfig(config);
    const changed = writeTransaction(this.db, this.file, 'save the run settings', () =>
      this.db
        .prepare('UPDATE runs SET config = ?, updated_at = ? WHERE id = ?')
        .run(JSON.stringify(config), new Date().toISOString(), id),
    ).changes;
    if (changed === 0) throw new ProjectError('invalid-input', `There is no run ${id}`);
  }

  /** Deletes a run with its metrics, checkpoints and previews. */
  remove(id: number): void {
    writeTransaction(this.db, this.file, 'delete the run', () => this.db.prepare('DELETE FROM runs WHERE id = ?').run(id));
  }
}

function checkConfig(config: RunConfig): RunConfig {
  const result = runConfigSchema.safeParse(config);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ProjectError('invalid-input', `A run config is not valid: ${issue?.path.join('.') || 'config'} ${issue?.message ?? ''}`.trim());
  }
  return result.data;
}

function parseConfig(id: number, json: string): RunConfig {
  const result = runConfigSchema.safeParse(JSON.parse(json));
  if (!result.success) throw new ProjectError('damaged', `The settings of run ${id} in this project are damaged`);
  return result.data;
}
