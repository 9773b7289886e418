import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as denoiseNoise from './004-denoise-noise';
import { MIGRATIONS, migrate, schemaVersion } from './index';

const columns = (db: Database.Database, table: string) =>
  db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table);

describe('migration 004: noise level of denoised photos', () => {
  it('adds estimated and used σ to each item; items from before keep their data with no σ', () => {
    expect(denoiseNoise.version).toBe(4);
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.filter((m) => m.version < 4));
    db.exec(`
      INSERT INTO denoise_batches (id, input_folder, output_folder, on_conflict, status, created_at, updated_at)
        VALUES (1, '/in', '/out', 'rename', 'completed', 't', 't');
      INSERT INTO denoise_items (batch_id, path, status, output_path, output_sha256, sha256, updated_at)
        VALUES (1, 'a.jpg', 'done', '/out/a.jpg', '${'a'.repeat(64)}', '${'b'.repeat(64)}', 't');`);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 4));
    expect(schemaVersion(db)).toBe(4);
    expect(columns(db, 'denoise_items')).toEqual([
      'batch_id', 'path', 'status', 'output_path', 'output_sha256', 'error', 'sha256', 'updated_at', 'estimated_sigma', 'sigma',
    ]);
    expect(db.prepare(`SELECT path, status, estimated_sigma AS e, sigma AS s FROM denoise_items`).get()).toEqual({ path: 'a.jpg', status: 'done', e: null, s: null });
    const set = db.prepare(`UPDATE denoise_items SET estimated_sigma = ?, sigma = ?`);
    set.run(24.8, 30);
    expect(() => set.run(-1, 30)).toThrow(/CHECK/);
    expect(() => set.run(3, -2)).toThrow(/CHECK/);
  });
});
