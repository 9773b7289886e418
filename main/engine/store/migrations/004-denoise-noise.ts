// Each denoised photo's noise level: the σ estimated from the photo and the σ its denoising was set for (the
// estimate, or one the user gave), both on 0..255, so a batch's report can say how noisy each photo was. NULL
// for items that were not denoised (pending, skipped, failed) and for batches from before this version.
import type Database from 'better-sqlite3';

export const version = 4;

export function up(db: Database.Database): void {
  db.exec(`
    ALTER TABLE denoise_items ADD COLUMN estimated_sigma REAL CHECK (estimated_sigma IS NULL OR estimated_sigma >= 0);
    ALTER TABLE denoise_items ADD COLUMN sigma REAL CHECK (sigma IS NULL OR sigma >= 0);
  `);
}
