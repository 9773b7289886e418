import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as gallery from './003-gallery';
import { MIGRATIONS, migrate, schemaVersion } from './index';

/** A database at version 2 with a run and a checkpoint in it, migrated to version 3. */
function migratedFromVersion2(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.filter((m) => m.version < 3));
  expect(schemaVersion(db)).toBe(2);
  db.exec(`
    INSERT INTO runs VALUES (1, 't', 't', '{}', 'running', NULL);
    INSERT INTO checkpoints VALUES (7, 1, 10, 1, 't', '{}', '{}', 1, 'h', 1, 'h', 0);`);
  migrate(db, MIGRATIONS.filter((m) => m.version <= 3));
  expect(schemaVersion(db)).toBe(3);
  return db;
}

const columns = (db: Database.Database, table: string) =>
  db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).pluck().all(table);

const insertItem = (db: Database.Database) =>
  db.prepare(
    `INSERT INTO gallery (created_at, checkpoint_id, made_with_checkpoint, made_with_step, operation, latent, seed,
                          temperature, note, png)
     VALUES ('t', @checkpoint, @madeWith, 10, @operation, @latent, @seed, 1.0, '', x'89')`,
  );

const item = { checkpoint: 7, madeWith: 7, operation: 'sample', latent: Buffer.alloc(32), seed: 3 };

describe('migration 003: gallery', () => {
  it('adds the gallery table and keeps existing data', () => {
    expect(gallery.version).toBe(3);
    const db = migratedFromVersion2();
    expect(db.prepare('SELECT count(*) FROM checkpoints').pluck().get()).toBe(1);
    expect(columns(db, 'gallery')).toEqual([
      'id', 'created_at', 'checkpoint_id', 'made_with_checkpoint', 'made_with_step', 'operation', 'latent', 'seed',
      'temperature', 'note', 'png',
    ]);
  });

  it('enforces operations, latent blobs and the checkpoint reference', () => {
    const db = migratedFromVersion2();
    const insert = insertItem(db);
    insert.run(item);
    expect(() => insert.run({ ...item, operation: 'paint' })).toThrow(/CHECK/);
    expect(() => insert.run({ ...item, latent: Buffer.alloc(0) })).toThrow(/CHECK/);
    expect(() => insert.run({ ...item, latent: Buffer.alloc(6) })).toThrow(/CHECK/);
    expect(() => insert.run({ ...item, seed: -1 })).toThrow(/CHECK/);
    expect(() => insert.run({ ...item, checkpoint: 8, madeWith: 8 })).toThrow(/FOREIGN KEY/);
    expect(() => insert.run({ ...item, madeWith: 8 })).toThrow(/CHECK/);
  });

  it('keeps an item whose checkpoint is deleted, with its provenance', () => {
    const db = migratedFromVersion2();
    insertItem(db).run(item);
    db.exec('DELETE FROM checkpoints');
    expect(db.prepare('SELECT checkpoint_id, made_with_checkpoint FROM gallery').get()).toEqual({
      checkpoint_id: null,
      made_with_checkpoint: 7,
    });
    db.exec('DELETE FROM runs');
    expect(db.prepare('SELECT count(*) FROM gallery').pluck().get()).toBe(1);
  });
});
