// The first schema: settings, the image index with prepared pixels, runs, metrics, checkpoints, previews.
// Blobs live in side tables (image_pixels, checkpoint_data) so listing rows never reads megabytes.
import type Database from 'better-sqlite3';

export const version = 1;

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE project (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      kind        TEXT    NOT NULL CHECK (kind IN ('generate', 'denoise')),
      image_size  INTEGER NOT NULL CHECK (image_size >= 16 AND (image_size & (image_size - 1)) = 0),
      latent_size INTEGER NOT NULL CHECK (latent_size >= 1),
      created_at  TEXT    NOT NULL,
      app_version TEXT    NOT NULL
    ) STRICT;

    CREATE TABLE images (
      id           INTEGER PRIMARY KEY,
      root         TEXT    NOT NULL,
      path         TEXT    NOT NULL,
      sha256       TEXT    CHECK (sha256 IS NULL OR length(sha256) = 64),
      byte_size    INTEGER NOT NULL,
      mtime_ms     REAL    NOT NULL,
      width        INTEGER,
      height       INTEGER,
      format       TEXT,
      status       TEXT    NOT NULL CHECK (status IN ('ok', 'failed', 'duplicate')),
      error        TEXT,
      split        TEXT    CHECK (split IN ('train', 'val')),
      split_forced INTEGER NOT NULL DEFAULT 0 CHECK (split_forced IN (0, 1)),
      updated_at   TEXT    NOT NULL,
      UNIQUE (root, path),
      CHECK ((status = 'ok') = (split IS NOT NULL)),
      CHECK (status <> 'ok' OR (sha256 IS NOT NULL AND width IS NOT NULL AND height IS NOT NULL AND format IS NOT NULL)),
      CHECK (status = 'ok' OR error IS NOT NULL),
      CHECK (split_forced = 0 OR split = 'val')
    ) STRICT;
    CREATE UNIQUE INDEX images_ok_by_sha256 ON images (sha256) WHERE status = 'ok';
    CREATE INDEX images_by_sha256 ON images (sha256);
    CREATE INDEX images_by_status_split ON images (status, split);
    CREATE INDEX images_forced_val ON images (id) WHERE split_forced = 1;

    -- Prepared pixels of 'ok' images, and of duplicates so one can take over when its original goes.
    CREATE TABLE image_pixels (
      image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
      data     BLOB    NOT NULL
    ) STRICT;

    CREATE TABLE runs (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at TEXT    NOT NULL,
      updated_at TEXT    NOT NULL,
      config     TEXT    NOT NULL CHECK (json_valid(config)),
      status     TEXT    NOT NULL CHECK (status IN ('created', 'running', 'paused', 'completed', 'failed', 'cancelled')),
      error      TEXT
    ) STRICT;

    CREATE TABLE metrics (
      run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      split        TEXT    NOT NULL CHECK (split IN ('train', 'val')),
      step         INTEGER NOT NULL CHECK (step >= 0),
      epoch        INTEGER NOT NULL CHECK (epoch >= 0),
      recon        REAL,
      kl           REAL,
      total        REAL,
      bits_per_dim REAL,
      wall_time_ms INTEGER NOT NULL,
      PRIMARY KEY (run_id, split, step)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE checkpoints (
      id               INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id           INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step             INTEGER NOT NULL CHECK (step >= 0),
      epoch            INTEGER NOT NULL CHECK (epoch >= 0),
      created_at       TEXT    NOT NULL,
      rng_state        TEXT    NOT NULL CHECK (json_valid(rng_state)),
      losses           TEXT    NOT NULL CHECK (json_valid(losses)),
      weights_bytes    INTEGER NOT NULL,
      weights_sha256   TEXT    NOT NULL,
      optimizer_bytes  INTEGER NOT NULL,
      optimizer_sha256 TEXT    NOT NULL,
      pinned           INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1))
    ) STRICT;
    CREATE INDEX checkpoints_by_run ON checkpoints (run_id, id);

    CREATE TABLE checkpoint_data (
      checkpoint_id INTEGER PRIMARY KEY REFERENCES checkpoints (id) ON DELETE CASCADE,
      weights       BLOB    NOT NULL,
      optimizer     BLOB    NOT NULL
    ) STRICT;

    CREATE TABLE previews (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      epoch      INTEGER NOT NULL CHECK (epoch >= 0),
      step       INTEGER NOT NULL CHECK (step >= 0),
      kind       TEXT    NOT NULL CHECK (kind IN ('reconstruction', 'samples')),
      created_at TEXT    NOT NULL,
      png        BLOB    NOT NULL
    ) STRICT;
    CREATE INDEX previews_by_run ON previews (run_id, kind, step);
  `);
}
