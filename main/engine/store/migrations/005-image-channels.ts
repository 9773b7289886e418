// Transparency: whether a project keeps its images' alpha (a fourth channel in the model) or flattens it over white.
// `alpha` is the person's choice ('auto' decides at the first import: keep when any image has transparency);
// `image_channels` is what the prepared pixels hold (3 = RGB, 4 = RGBA). Existing projects were prepared as RGB,
// so they keep 3 channels; 'auto' only decides again for a project with no prepared images.
import type Database from 'better-sqlite3';

export const version = 5;

export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE project ADD COLUMN alpha TEXT NOT NULL DEFAULT 'auto' CHECK (alpha IN ('auto', 'keep', 'flatten'));
    ALTER TABLE project ADD COLUMN image_channels INTEGER NOT NULL DEFAULT 3 CHECK (image_channels IN (3, 4));
  `);
}
