// The gallery: images the user kept, each with what made it (checkpoint, latent, seed, temperature, operation)
// so it can be decoded again. Checkpoints are pruned during training and can be deleted by the user; an item
// outlives its checkpoint: checkpoint_id becomes NULL (the foreign key) while made_with_* keep the provenance,
// so the gallery can still say which checkpoint it was and that it is gone.
import type Database from 'better-sqlite3';

export const version = 3;

export function up(db: Database.Database): void {
  db.exec(`
    CREATE TABLE gallery (
      id                   INTEGER PRIMARY KEY AUTOINCREMENT,
      created_at           TEXT    NOT NULL,
      checkpoint_id        INTEGER REFERENCES checkpoints (id) ON DELETE SET NULL,
      made_with_checkpoint INTEGER NOT NULL,
      made_with_step       INTEGER NOT NULL CHECK (made_with_step >= 0),
      operation            TEXT    NOT NULL CHECK (operation IN ('sample', 'map', 'slider', 'interpolate', 'encode')),
      -- float32 little-endian, one value per latent dimension
      latent               BLOB    NOT NULL CHECK (length(latent) > 0 AND length(latent) % 4 = 0),
      seed                 INTEGER CHECK (seed IS NULL OR seed >= 0),
      temperature          REAL    CHECK (temperature IS NULL OR temperature >= 0),
      note                 TEXT    NOT NULL DEFAULT '',
      -- last, so listing (which never selects it) does not read the image's overflow pages
      png                  BLOB    NOT NULL,
      CHECK (checkpoint_id IS NULL OR checkpoint_id = made_with_checkpoint)
    ) STRICT;
    CREATE INDEX gallery_by_checkpoint ON gallery (checkpoint_id);
  `);
}
