import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type Migration, MIGRATIONS, migrate, needsMigration, SCHEMA_VERSION, SchemaTooNewError, schemaVersion } from './index';

const table = (name: string, version: number): Migration => ({
  version,
  up: (db) => db.exec(`CREATE TABLE ${name} (id INTEGER PRIMARY KEY)`),
});

const tables = (db: Database.Database) =>
  db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all();

describe('migration runner', () => {
  it('ships migrations numbered 1, 2, 3... and SCHEMA_VERSION is the last', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('runs only the pending migrations and sets user_version', () => {
    const db = new Database(':memory:');
    expect(migrate(db, [table('a', 1)])).toEqual({ from: 0, to: 1 });
    expect(migrate(db, [table('a', 1), table('b', 2), table('c', 5)])).toEqual({ from: 1, to: 5 });
    expect(tables(db)).toEqual(['a', 'b', 'c']);
    expect(schemaVersion(db)).toBe(5);
    expect(migrate(db, [table('a', 1), table('b', 2), table('c', 5)])).toEqual({ from: 5, to: 5 });
  });

  it('runs all pending migrations in one transaction: a failure leaves the old version untouched', () => {
    const db = new Database(':memory:');
    migrate(db, [table('a', 1)]);
    const failing: Migration = {
      version: 3,
      up: () => {
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [table('a', 1), table('b', 2), failing])).toThrow('boom');
    expect(tables(db)).toEqual(['a']);
    expect(schemaVersion(db)).toBe(1);
    expect(db.inTransaction).toBe(false);
  });

  it('refuses versions that do not strictly increase', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [table('a', 2), table('b', 2)])).toThrow(/strictly increasing/);
    expect(() => migrate(db, [table('a', 2), table('b', 1)])).toThrow(/strictly increasing/);
    expect(() => migrate(db, [table('a', 0)])).toThrow(/strictly increasing/);
    expect(tables(db)).toEqual([]);
  });

  it('refuses a database from the future and does not touch it', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 7');
    expect(() => needsMigration(db, [table('a', 1)])).toThrow(SchemaTooNewError);
    try {
      migrate(db, [table('a', 1)]);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ found: 7, supported: 1 });
    }
    expect(tables(db)).toEqual([]);
  });

  it('restores foreign_keys after migrating and rejects a migration that breaks them', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const orphan: Migration = {
      version: 1,
      up: (d) =>
        d.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));
                INSERT INTO child VALUES (42);`),
    };
    expect(() => migrate(db, [orphan])).toThrow(/broke 1 foreign key/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});
