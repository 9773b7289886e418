// Denoise batches with per-file status, so a folder run can stop (crash, full disk, cancel) and resume where it
// left off: items done stay done, and an item's output path is recorded (claimed) before the file is written.
import type Database from 'better-sqlite3';

export const version = 2;

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE denoise_batches (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      input_folder  TEXT    NOT NULL,
      output_folder TEXT    NOT NULL,
      on_conflict   TEXT    NOT NULL CHECK (on_conflict IN ('rename', 'skip', 'overwrite')),
      status        TEXT    NOT NULL CHECK (status IN ('created', 'running', 'completed', 'stopped', 'cancelled')),
      error         TEXT,
      created_at    TEXT    NOT NULL,
      updated_at    TEXT    NOT NULL,
      CHECK (input_folder <> output_folder),
      CHECK (status <> 'stopped' OR error IS NOT NULL)
    ) STRICT;
    CREATE INDEX denoise_batches_by_folders ON denoise_batches (input_folder, output_folder, id);

    -- One row per input file. output_path is set when the item claims its output (before writing) and kept when
    -- done; for a skipped item it names the existing file that caused the skip. error says why it failed or was
    -- skipped. sha256 is the input's content when it was read.
    CREATE TABLE denoise_items (
      batch_id      INTEGER NOT NULL REFERENCES denoise_batches (id) ON DELETE CASCADE,
      path          TEXT    NOT NULL,
      status        TEXT    NOT NULL CHECK (status IN ('pending', 'done', 'skipped', 'failed')),
      output_path   TEXT,
      output_sha256 TEXT    CHECK (output_sha256 IS NULL OR length(output_sha256) = 64),
      error         TEXT,
      sha256        TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
      updated_at    TEXT    NOT NULL,
      PRIMARY KEY (batch_id, path),
      CHECK (status <> 'done' OR (output_path IS NOT NULL AND output_sha256 IS NOT NULL AND sha256 IS NOT NULL)),
      CHECK ((status = 'failed') <= (error IS NOT NULL)),
      CHECK (status NOT IN ('pending', 'done') OR error IS NULL)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX denoise_items_by_status ON denoise_items (batch_id, status);
    CREATE INDEX denoise_items_by_output ON denoise_items (batch_id, output_path) WHERE output_path IS NOT NULL;
  `);
}
