// One SQLite connection to a project file, set up the way every connection must be.
//
// - WAL: readers never block the writer, and a crash mid-write leaves the last commit intact. WAL needs shared
//   memory between processes, so it does not work on network file systems (SMB, NFS): keep projects local.
// - synchronous=FULL: better-sqlite3 builds SQLite with WAL defaulting to NORMAL, which can lose the last
//   commit on power loss; a saved checkpoint must survive that.
// - foreign_keys=ON (off by default in SQLite), busy_timeout for a second process, trusted_schema=OFF because a
//   project file may come from someone else, journal_size_limit so one big checkpoint does not leave a huge WAL.
import Database from 'better-sqlite3';

/** PRAGMA application_id of every project file: "VAES" in ASCII. */
export const APPLICATION_ID = 0x56414553;

export const BUSY_TIMEOUT_MS = 5000;
const JOURNAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/** Opens a connection with the settings that change nothing in the file. Then check isOurs() before writing. */
export function connect(path: string, readonly: boolean): Database.Database {
  const db = new Database(path, { readonly, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('trusted_schema = OFF');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** WAL and synchronous=FULL for a connection that writes. WAL mode is stored in the file, so only for ours. */
export function enableDurableWrites(db: Database.Database): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`SQLite could not switch ${db.name} to WAL (journal mode is ${String(mode)})`);
  db.pragma('synchronous = FULL');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
}

export function isOurs(db: Database.Database): boolean {
  return db.pragma('application_id', { simple: true }) === APPLICATION_ID;
}
