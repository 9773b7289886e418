import { describe, expect, it } from 'vitest';
import { describeWriteFailure, osReason, ProjectError } from './errors';

const systemError = (code: string, words: string) => Object.assign(new Error(`${code}: ${words}, open '/p/x.vaestudio'`), { code });
const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('error messages', () => {
  it("quotes the OS's reason for a failed file operation", () => {
    // The unreadable-file test in open.test.ts cannot run as root, so the wording is checked here too.
    expect(osReason(systemError('EACCES', 'permission denied'))).toBe('permission denied (EACCES)');
    expect(osReason(systemError('EIO', 'i/o error'))).toBe('i/o error (EIO)');
    expect(osReason(Object.assign(new Error('odd'), { code: 'EWEIRD' }))).toBe('EWEIRD');
  });

  it('names the cause of a failed write in words, and leaves programming errors alone', () => {
    const full = describeWriteFailure(sqliteError('SQLITE_FULL', 'database or disk is full'), '/p/x.vaestudio', 'save the checkpoint');
    expect(full).toBeInstanceOf(ProjectError);
    expect((full as ProjectError).message).toMatch(/^The disk is full: could not save the checkpoint in \/p\/x.vaestudio\./);
    expect((describeWriteFailure(sqliteError('SQLITE_BUSY', 'database is locked'), 'x', 'save') as ProjectError).code).toBe('busy');
    expect((describeWriteFailure(sqliteError('SQLITE_IOERR_FSYNC', 'disk I/O error'), 'x', 'save') as ProjectError).code).toBe('io-error');
    const constraint = sqliteError('SQLITE_CONSTRAINT_CHECK', 'CHECK constraint failed');
    expect(describeWriteFailure(constraint, 'x', 'save')).toBe(constraint);
    const bug = new TypeError('x is undefined');
    expect(describeWriteFailure(bug, 'x', 'save')).toBe(bug);
  });
});
