// Names for files the app writes next to the user's: the first that is free, never replacing what is there.
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode } from './os-reason';

const MAX_TRIES = 10_000;

/** Whether anything (a file, a folder, a link) is at `file`; other errors than "not found" are thrown. */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}

/** The first of candidate(1), candidate(2), … that is not taken; undefined after MAX_TRIES. */
export async function firstFreeName(
  candidate: (n: number) => string,
  isTaken: (name: string) => boolean | Promise<boolean> = pathExists,
): Promise<string | undefined> {
  for (let n = 1; n <= MAX_TRIES; n++) {
    const name = candidate(n);
    if (!(await isTaken(name))) return name;
  }
  return undefined;
}

/** "photo (n).jpg" for `file` = "photo.jpg": the numbered names the batch and single-file denoising use. */
export function numbered(file: string): (n: number) => string {
  const ext = path.extname(file);
  const stem = file.slice(0, file.length - ext.length);
  return (n) => `${stem} (${n})${ext}`;
}
