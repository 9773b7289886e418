// What can go wrong with a project file, said the way a user should read it. Every refusal and every failed
// write leaves the store as a ProjectError whose message is a one-line sentence fit for a dialog or the CLI;
// `code` lets callers branch without parsing text, `cause` keeps the original error for logs.

export type ProjectErrorCode =
  | 'not-found'
  | 'already-exists'
  | 'cannot-create'
  | 'unreadable'
  | 'not-a-project'
  | 'too-new'
  | 'needs-upgrade'
  | 'damaged'
  | 'disk-full'
  | 'read-only'
  | 'busy'
  | 'io-error'
  | 'invalid-settings'
  | 'invalid-input';

export class ProjectError extends Error {
  override readonly name = 'ProjectError';

  constructor(
    readonly code: ProjectErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The OS's own words for a failed file operation, e.g. "permission denied (EACCES)". */
export function osReason(error: unknown): string {
  const err = error as NodeJS.ErrnoException | undefined;
  const code = err?.code;
  // Node formats system errors as "EACCES: permission denied, open '/x'": keep the middle part.
  const words = /^[A-Z0-9_]+: ([^,]+)/.exec(err?.message ?? '')?.[1];
  if (words && code) return `${words} (${code})`;
  return words ?? code ?? String(err?.message ?? error);
}

/** SQLite's extended error code ("SQLITE_FULL", "SQLITE_IOERR_WRITE", ...) or undefined for other errors. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Turns a failure while the project was being written into a ProjectError that says what happened to `action`
 * (a phrase like "save the checkpoint"). Errors that are not about the file (a constraint our code broke, a bug)
 * are returned unchanged: they are for developers, not users.
 */
export function describeWriteFailure(error: unknown, path: string, action: string): unknown {
  if (error instanceof ProjectError) return error;
  const code = sqliteCode(error);
  if (!code) return error;
  const cause = { cause: error };
  if (code === 'SQLITE_FULL') {
    return new ProjectError(
      'disk-full',
      `The disk is full: could not ${action} in ${path}. Nothing was changed; free some space and try again.`,
      cause,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new ProjectError('read-only', `Could not ${action}: ${path} is open read-only.`, cause);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new ProjectError('busy', `Could not ${action}: ${path} is busy in another VAE Studio window or process.`, cause);
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new ProjectError('damaged', `Could not ${action}: ${path} is damaged (${(error as Error).message}).`, cause);
  }
  if (code.startsWith('SQLITE_CANTOPEN')) {
    return new ProjectError(
      'io-error',
      `Could not ${action}: cannot open ${path} or the -wal and -shm files beside it (check the folder's permissions).`,
      cause,
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new ProjectError('io-error', `Could not ${action} in ${path}: disk I/O error (${code}).`, cause);
  }
  return error;
}
