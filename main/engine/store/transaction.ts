// Every write to a project file goes through here, so each is all-or-nothing and fails with a sentence.
import type Database from 'better-sqlite3';
import { describeWriteFailure } from './errors';

/**
 * Runs `work` as one all-or-nothing write. BEGIN IMMEDIATE takes the write lock up front, so a second process
 * waits (busy_timeout) instead of failing half-way. SQLite rolls back on its own after some failures
 * (SQLITE_FULL, some I/O errors), so we roll back only a transaction that is still open, and only our own:
 * when called inside an outer transaction, better-sqlite3 uses a savepoint and the outer caller decides.
 * A failure about the file becomes a ProjectError that says what could not be done (`action`).
 */
export function writeTransaction<T>(db: Database.Database, path: string, action: string, work: () => T): T {
  const nested = db.inTransaction;
  try {
    return db.transaction(work).immediate();
  } catch (error) {
    if (!nested && db.inTransaction) {
      try {
        db.exec('ROLLBACK');
      } catch {
        // Already rolled back by SQLite.
      }
    }
    throw describeWriteFailure(error, path, action);
  }
}
