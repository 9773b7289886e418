// Brings a project file's schema up to date. Each migration is one file exporting {version, up(db)}; versions
// strictly increase. All pending migrations run in one transaction together with the new user_version, so a
// crash or failure leaves the file at its old version, untouched. A file from a newer app is refused.
import type Database from 'better-sqlite3';
import * as initial from './001-initial';
import * as denoiseBatches from './002-denoise-batches';
import * as gallery from './003-gallery';
import * as denoiseNoise from './004-denoise-noise';
import * as imageChannels from './005-image-channels';

export interface Migration {
  readonly version: number;
  up(db: Database.Database): void;
}

export const MIGRATIONS: readonly Migration[] = [initial, denoiseBatches, gallery, denoiseNoise, imageChannels];

/** The schema version this build writes and understands. */
export const SCHEMA_VERSION = latestVersion(MIGRATIONS);

/** The file's schema is newer than any migration this build knows. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`Schema version ${found} is newer than this build understands (${supported})`);
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function latestVersion(list: readonly Migration[]): number {
  let previous = 0;
  for (const { version } of list) {
    if (!Number.isInteger(version) || version <= previous) {
      throw new Error(`Migrations must have strictly increasing whole versions from 1: ${version} after ${previous}`);
    }
    previous = version;
  }
  return previous;
}

/** True when `db` is older than the newest migration in `list`. Throws SchemaTooNewError for a future file. */
export function needsMigration(db: Database.Database, list: readonly Migration[] = MIGRATIONS): boolean {
  const latest = latestVersion(list);
  const current = schemaVersion(db);
  if (current > latest) throw new SchemaTooNewError(current, latest);
  return current < latest;
}

/**
 * Runs the pending migrations of `list` in one transaction and sets user_version to the newest.
 * Foreign keys are off while tables are rebuilt (SQLite's advice) and checked before commit.
 */
export function migrate(db: Database.Database, list: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  const latest = latestVersion(list);
  if (!needsMigration(db, list)) {
    const current = schemaVersion(db);
    return { from: current, to: current };
  }
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    return db
      .transaction(() => {
        const from = schemaVersion(db); // read again under the write lock: another process may have migrated
        if (from > latest) throw new SchemaTooNewError(from, latest);
        for (const migration of list) {
          if (migration.version > from) migration.up(db);
        }
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`Migration to ${latest} broke ${broken.length} foreign key(s)`);
        db.pragma(`user_version = ${latest}`);
        return { from, to: latest };
      })
      .immediate();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
}
