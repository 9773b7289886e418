import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as initial from './001-initial';
import { MIGRATIONS, migrate, schemaVersion } from './index';

/** A database at the version before `version`, migrated to `version`. */
function migratedTo(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.filter((m) => m.version < version));
  expect(schemaVersion(db)).toBe(version - 1);
  migrate(db, MIGRATIONS.filter((m) => m.version <= version));
  expect(schemaVersion(db)).toBe(version);
  return db;
}

const columns = (db: Database.Database, table: string) =>
  db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table);

describe('migration 001: initial schema', () => {
  it('creates every table with its columns', () => {
    expect(initial.version).toBe(1);
    const db = migratedTo(1);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all())
      .toEqual(['checkpoint_data', 'checkpoints', 'image_pixels', 'images', 'metrics', 'previews', 'project', 'runs']);
    expect(columns(db, 'project')).toEqual(['id', 'kind', 'image_size', 'latent_size', 'created_at', 'app_version']);
    expect(columns(db, 'images')).toEqual([
      'id', 'root', 'path', 'sha256', 'byte_size', 'mtime_ms', 'width', 'height', 'format', 'status', 'error', 'split',
      'split_forced', 'updated_at',
    ]);
    expect(columns(db, 'checkpoints')).toContain('weights_sha256');
    expect(columns(db, 'checkpoint_data')).toEqual(['checkpoint_id', 'weights', 'optimizer']);
    expect(columns(db, 'metrics')).toEqual([
      'run_id', 'split', 'step', 'epoch', 'recon', 'kl', 'total', 'bits_per_dim', 'wall_time_ms',
    ]);
    expect(columns(db, 'previews')).toEqual(['id', 'run_id', 'epoch', 'step', 'kind', 'created_at', 'png']);
  });

  it('enforces the settings rules in the schema itself', () => {
    const db = migratedTo(1);
    const insert = db.prepare(
      `INSERT INTO project (id, kind, image_size, latent_size, created_at, app_version) VALUES (?, ?, ?, 8, 'now', '1')`,
    );
    expect(() => insert.run(1, 'generate', 48)).toThrow(/CHECK/);
    expect(() => insert.run(1, 'paint', 64)).toThrow(/CHECK/);
    insert.run(1, 'denoise', 64);
    expect(() => insert.run(2, 'generate', 64)).toThrow(/CHECK/);
  });

  it('cascades a deleted run to its checkpoints, their blobs, metrics and previews', () => {
    const db = migratedTo(1);
    db.exec(`
      INSERT INTO runs VALUES (1, 't', 't', '{}', 'running', NULL);
      INSERT INTO checkpoints VALUES (1, 1, 10, 1, 't', '{}', '{}', 1, 'h', 1, 'h', 0);
      INSERT INTO checkpoint_data VALUES (1, x'00', x'00');
      INSERT INTO metrics VALUES (1, 'train', 10, 1, 1.0, 1.0, 2.0, 0.5, 0);
      INSERT INTO previews VALUES (1, 1, 1, 10, 'samples', 't', x'00');
      DELETE FROM runs;`);
    for (const table of ['checkpoints', 'checkpoint_data', 'metrics', 'previews']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });

  it('allows one usable image per content hash and pixels only for existing images', () => {
    const db = migratedTo(1);
    const sha = 'a'.repeat(64);
    const insert = db.prepare(
      `INSERT INTO images (root, path, sha256, byte_size, mtime_ms, width, height, format, status, error, split, updated_at)
       VALUES ('/r', ?, ?, 1, 0, 1, 1, 'png', ?, ?, ?, 't')`,
    );
    insert.run('a.png', sha, 'ok', null, 'train');
    expect(() => insert.run('b.png', sha, 'ok', null, 'train')).toThrow(/UNIQUE/);
    insert.run('b.png', sha, 'duplicate', 'Same content as a.png', null);
    expect(() => insert.run('c.png', 'b'.repeat(64), 'ok', null, null)).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO image_pixels VALUES (99, x'00')`).run()).toThrow(/FOREIGN KEY/);
  });
});
