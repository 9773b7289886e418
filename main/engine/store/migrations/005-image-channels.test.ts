import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as imageChannels from './005-image-channels';
import { MIGRATIONS, migrate, schemaVersion } from './index';

describe('migration 005: image channels', () => {
  it('keeps an existing project RGB, with alpha decided automatically only for images not yet prepared', () => {
    expect(imageChannels.version).toBe(5);
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version < 5));
    db.exec(`INSERT INTO project VALUES (1, 'generate', 64, 128, 't', '0.1.0')`);
    migrate(db);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT alpha, image_channels AS channels FROM project').get()).toEqual({ alpha: 'auto', channels: 3 });
  });

  it('refuses channel counts and alpha choices the app does not know', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.exec(`INSERT INTO project VALUES (1, 'generate', 64, 128, 't', '0.1.0', 'keep', 4)`);
    expect(() => db.exec('UPDATE project SET image_channels = 2')).toThrow(/CHECK/);
    expect(() => db.exec(`UPDATE project SET alpha = 'maybe'`)).toThrow(/CHECK/);
  });
});
