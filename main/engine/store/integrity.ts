// The deep check of a project file, for when a damaged file is suspected.
import type Database from 'better-sqlite3';

/**
 * SQLite's full consistency check (every page, index and constraint) plus the foreign keys.
 * Returns 'ok' or one line per problem. Reads the whole file: seconds for a large project.
 */
export function checkIntegrity(db: Database.Database): 'ok' | string[] {
  const problems = (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).filter((line) => line !== 'ok');
  const broken = db.prepare('PRAGMA foreign_key_check').all() as { table: string; rowid: number; parent: string }[];
  for (const { table, rowid, parent } of broken) {
    problems.push(`row ${rowid} of ${table} points to a missing row of ${parent}`);
  }
  return problems.length === 0 ? 'ok' : problems;
}
