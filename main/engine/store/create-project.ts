// Creating a project file is all or nothing: the database is built under a temporary name in the target
// folder and only then linked into place, so a crash or a full disk never leaves a half-made project at the
// chosen path, and an existing file there is never overwritten (link fails atomically if one appeared).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { APPLICATION_ID, connect, enableDurableWrites } from './connection';
import { ProjectError, describeWriteFailure, osReason } from './errors';
import { migrate } from './migrations';
import { somethingExistsAt } from './project-file';
import { type ProjectSettings, validateSettings, writeSettings } from './settings';
import { writeTransaction } from './transaction';

const SIDECARS = ['-wal', '-shm', '-journal'];

export function createProjectFile(path: string, input: ProjectSettings): void {
  const settings = validateSettings(input);
  if (somethingExistsAt(path)) {
    throw new ProjectError('already-exists', `${path} already exists; choose another name or open it`);
  }
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.creating`);
  try {
    closeSync(openSync(temp, 'wx'));
  } catch (error) {
    throw new ProjectError('cannot-create', `Cannot create ${path}: ${osReason(error)}`, { cause: error });
  }
  try {
    build(temp, path, settings);
    // A -wal left behind by a deleted file of the same name would be replayed into the new one.
    for (const suffix of SIDECARS) rmSync(path + suffix, { force: true });
    publish(temp, path);
  } finally {
    for (const suffix of ['', ...SIDECARS]) rmSync(temp + suffix, { force: true });
  }
}

function build(temp: string, path: string, settings: ProjectSettings): void {
  try {
    const db = connect(temp, false);
    try {
      enableDurableWrites(db);
      migrate(db);
      writeTransaction(db, path, 'create the project', () => {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        writeSettings(db, settings, new Date().toISOString());
      });
    } finally {
      db.close(); // the last connection checkpoints the WAL into the file and deletes it
    }
  } catch (error) {
    throw describeWriteFailure(error, path, 'create the project');
  }
  if (somethingExistsAt(temp + '-wal') && statSync(temp + '-wal').size > 0) {
    throw new ProjectError('io-error', `Cannot create ${path}: SQLite could not finish writing it`);
  }
}

function publish(temp: string, path: string): void {
  try {
    linkSync(temp, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new ProjectError('already-exists', `${path} already exists; choose another name or open it`, { cause: error });
    }
    // File systems without hard links (FAT, some network shares): rename, after checking nothing is there.
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(code ?? '') || somethingExistsAt(path)) {
      throw new ProjectError('cannot-create', `Cannot create ${path}: ${osReason(error)}`, { cause: error });
    }
    renameSync(temp, path);
  }
  syncFolder(dirname(path));
}

/** Makes the new directory entry durable (POSIX); Windows cannot open folders this way and needs no help. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Best effort.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
