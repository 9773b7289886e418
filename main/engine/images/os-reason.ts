/**
 * Short, user-facing wording for operating-system errors (errno codes), shared by the scanner, the decoder and
 * the atomic writer so every report says "permission denied" the same way.
 */

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'not found',
  ENOTDIR: 'a parent is not a folder',
  EISDIR: 'is a folder',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'path too long',
  EIO: 'input/output error (failing disk or network drive?)',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EBUSY: 'file is busy or locked',
  ETIMEDOUT: 'timed out',
  ESTALE: 'stale network file handle',
  EINVAL: 'invalid argument',
};

/** The errno code of an error thrown by node:fs, or undefined. */
export function errnoCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return undefined;
}

/** "permission denied", "not found", … — or the first line of the message for anything unexpected. */
export function osReason(err: unknown): string {
  const code = errnoCode(err);
  if (code && REASONS[code]) return REASONS[code];
  const message = err instanceof Error ? err.message : String(err);
  const firstLine = message.split('\n', 1)[0] ?? message;
  return code ? `${code}: ${firstLine}` : firstLine;
}
