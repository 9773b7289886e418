import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as denoiseBatches from './002-denoise-batches';
import { MIGRATIONS, migrate, schemaVersion } from './index';

/** A database at version 1 with a run in it, migrated to version 2. */
function migratedFromVersion1(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.filter((m) => m.version < 2));
  expect(schemaVersion(db)).toBe(1);
  db.exec(`INSERT INTO runs VALUES (1, 't', 't', '{}', 'running', NULL)`);
  migrate(db, MIGRATIONS.filter((m) => m.version <= 2));
  expect(schemaVersion(db)).toBe(2);
  return db;
}

const columns = (db: Database.Database, table: string) =>
  db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table);

describe('migration 002: denoise batches', () => {
  it('adds the batch and item tables and keeps existing data', () => {
    expect(denoiseBatches.version).toBe(2);
    const db = migratedFromVersion1();
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(1);
    expect(columns(db, 'denoise_batches')).toEqual([
      'id', 'input_folder', 'output_folder', 'on_conflict', 'status', 'error', 'created_at', 'updated_at',
    ]);
    expect(columns(db, 'denoise_items')).toEqual([
      'batch_id', 'path', 'status', 'output_path', 'output_sha256', 'error', 'sha256', 'updated_at',
    ]);
  });

  it('enforces statuses, policies, one row per file and cascades a deleted batch', () => {
    const db = migratedFromVersion1();
    const batch = db.prepare(
      `INSERT INTO denoise_batches (input_folder, output_folder, on_conflict, status, created_at, updated_at)
       VALUES (?, ?, ?, 'created', 't', 't')`,
    );
    expect(() => batch.run('/in', '/in', 'rename')).toThrow(/CHECK/);
    expect(() => batch.run('/in', '/out', 'replace')).toThrow(/CHECK/);
    batch.run('/in', '/out', 'rename');
    const sha = 'a'.repeat(64);
    const item = db.prepare(
      `INSERT INTO denoise_items (batch_id, path, status, output_path, output_sha256, error, sha256, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 't')`,
    );
    item.run(1, 'a.png', 'pending', null, null, null, null);
    expect(() => item.run(1, 'a.png', 'pending', null, null, null, null)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => item.run(1, 'b.png', 'done', null, null, null, sha)).toThrow(/CHECK/);
    expect(() => item.run(1, 'b.png', 'failed', null, null, null, null)).toThrow(/CHECK/);
    expect(() => item.run(1, 'b.png', 'lost', null, null, null, null)).toThrow(/CHECK/);
    expect(() => item.run(2, 'b.png', 'pending', null, null, null, null)).toThrow(/FOREIGN KEY/);
    item.run(1, 'b.png', 'done', '/out/b.png', sha, null, sha);
    item.run(1, 'c.png', 'failed', null, null, 'not an image', null);
    db.exec('DELETE FROM denoise_batches');
    expect(db.prepare('SELECT count(*) FROM denoise_items').pluck().get()).toBe(0);
  });
});
