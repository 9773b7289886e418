// Checks on the file itself before SQLite sees it, so each refusal can say in plain words what is wrong:
// missing, a folder, unreadable (with the OS's reason), or not an SQLite database at all.
import { closeSync, lstatSync, openSync, readSync, statSync } from 'node:fs';
import { ProjectError, osReason } from './errors';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Throws a ProjectError unless `path` is a readable file that starts like an SQLite database. */
export function checkProjectFile(path: string): void {
  let isFile: boolean;
  try {
    const stats = statSync(path);
    if (stats.isDirectory()) {
      throw new ProjectError('not-a-project', `${path} is a folder, not a VAE Studio project file`);
    }
    isFile = stats.isFile();
  } catch (error) {
    if (error instanceof ProjectError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ProjectError('not-found', `Project file not found: ${path}`, { cause: error });
    }
    throw new ProjectError('unreadable', `Cannot open ${path}: ${osReason(error)}`, { cause: error });
  }
  // FIFOs and devices could block forever on open; they are never projects.
  if (!isFile) throw new ProjectError('not-a-project', `${path} is not a VAE Studio project (not a regular file)`);

  const header = Buffer.alloc(SQLITE_HEADER.length);
  let fd: number | undefined;
  let read: number;
  try {
    fd = openSync(path, 'r');
    read = readSync(fd, header, 0, header.length, 0);
  } catch (error) {
    throw new ProjectError('unreadable', `Cannot read ${path}: ${osReason(error)}`, { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (read < header.length || !header.equals(SQLITE_HEADER)) {
    throw new ProjectError('not-a-project', `${path} is not a VAE Studio project (not an SQLite database)`);
  }
}

/** True when anything (a file, a folder, a dangling link) is at `path`. */
export function somethingExistsAt(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new ProjectError('unreadable', `Cannot check ${path}: ${osReason(error)}`, { cause: error });
  }
}
