/**
 * Write a file so that the final name only ever holds the old content or the complete new content:
 * temp file in the same folder (dot-prefixed, unique) → write → fsync → rename over the target → fsync the folder.
 * On failure the temp file is removed and a clear error is thrown. Callers mark an item done only after this
 * resolves. This never checks *where* it writes: refusing the input folder is the caller's job.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, osReason } from './os-reason';

export type FileWriteErrorKind = 'disk-full' | 'permission' | 'read-only' | 'is-folder' | 'missing-folder' | 'other';

export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(
    message: string,
    readonly kind: FileWriteErrorKind,
    /** errno code of the underlying failure, when there was one. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Low-level steps, replaceable in tests to simulate a full disk or a failing rename. */
export interface AtomicWriteIo {
  write(handle: FileHandle, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const defaultIo: AtomicWriteIo = {
  write: async (handle, data) => {
    await handle.writeFile(data);
  },
  rename: (from, to) => rename(from, to),
};

export interface WriteFileAtomicOptions {
  /** File mode for a new file (before umask). Default 0o666. */
  mode?: number;
  /** Test seam; see AtomicWriteIo. */
  io?: Partial<AtomicWriteIo>;
}

/** Windows: antivirus or indexers may hold the new file briefly; retry the rename this many times. */
const WINDOWS_RENAME_RETRIES = 10;

export async function writeFileAtomic(target: string, data: Uint8Array | string, opts: WriteFileAtomicOptions = {}): Promise<void> {
  const io = { ...defaultIo, ...opts.io };
  const finalPath = path.resolve(target);
  const dir = path.dirname(finalPath);
  // Only the start of the name (whole code points), so a 255-byte final name still leaves room for the suffix.
  const stem = Array.from(path.basename(finalPath)).slice(0, 32).join('');
  const temp = path.join(dir, `.${stem}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;

  let handle: FileHandle | undefined;
  let tempCreated = false;
  try {
    handle = await open(temp, 'wx', opts.mode ?? 0o666); // 'x': never reuse an existing file
    tempCreated = true;
    await io.write(handle, bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await renameWithRetry(io, temp, finalPath);
    tempCreated = false;
  } catch (err) {
    await handle?.close().catch(() => undefined);
    if (tempCreated) await unlink(temp).catch(() => undefined);
    throw describeWriteError(err, finalPath);
  }
  await syncFolder(dir, finalPath);
}

async function renameWithRetry(io: AtomicWriteIo, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await io.rename(from, to);
    } catch (err) {
      const code = errnoCode(err);
      const transient = process.platform === 'win32' && (code === 'EPERM' || code === 'EACCES' || code === 'EBUSY');
      if (!transient || attempt >= WINDOWS_RENAME_RETRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/**
 * Make the rename itself durable. Folders cannot be opened for fsync on Windows, and some file systems (certain
 * network mounts) refuse fsync on a folder; the data is already synced and in place then, so only a real I/O
 * error is reported.
 */
async function syncFolder(dir: string, finalPath: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    if (errnoCode(err) === 'EIO') throw describeWriteError(err, finalPath);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export function describeWriteError(err: unknown, finalPath: string): FileWriteError {
  const code = errnoCode(err);
  const dir = path.dirname(finalPath);
  const file = path.basename(finalPath);
  const make = (message: string, kind: FileWriteErrorKind) => new FileWriteError(message, kind, code, { cause: err });
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return make(`Disk full while writing ${file}`, 'disk-full');
    case 'EACCES':
    case 'EPERM':
      return make(`Cannot write to ${dir}: permission denied`, 'permission');
    case 'EROFS':
      return make(`Cannot write to ${dir}: read-only`, 'read-only');
    case 'EISDIR':
    case 'ENOTEMPTY':
      return make(`Cannot write ${file}: a folder with that name exists in ${dir}`, 'is-folder');
    case 'ENOENT':
    case 'ENOTDIR':
      return make(`Cannot write ${file}: folder ${dir} does not exist`, 'missing-folder');
    default:
      return make(`Could not write ${file} in ${dir}: ${osReason(err)}`, 'other');
  }
}
