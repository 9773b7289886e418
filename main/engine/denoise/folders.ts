// Checks on a batch's two folders before anything is written: they must be apart (an output inside the input
// would be rescanned as input; an input inside the output could be overwritten), and the output writable.
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { describeWriteError } from '../images/atomic-write';
import { errnoCode, osReason } from '../images/os-reason';
import { DenoiseBatchError, writeErrorCode } from './errors';

/** Case-insensitive file systems are the default on Windows and macOS: compare folders ignoring case there. */
export const IGNORE_CASE = process.platform === 'win32' || process.platform === 'darwin';

export async function resolveInput(input: string): Promise<string> {
  const abs = path.resolve(input);
  try {
    const real = await realpath(abs);
    if (!(await stat(real)).isDirectory()) throw new DenoiseBatchError('input-missing', `The input ${abs} is not a folder`);
    return real;
  } catch (err) {
    if (err instanceof DenoiseBatchError) throw err;
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new DenoiseBatchError('input-missing', `Input folder not found: ${abs}`);
    throw new DenoiseBatchError('input-missing', `Cannot open the input folder ${abs}: ${osReason(err)}`);
  }
}

/** The output folder with symbolic links resolved as far as it exists (it may not exist yet). */
export async function resolveOutput(output: string): Promise<string> {
  let existing = path.resolve(output);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(output);
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

export function checkFoldersApart(input: string, output: string): void {
  const norm = (p: string) => (IGNORE_CASE ? p.toLowerCase() : p);
  const a = norm(input);
  const b = norm(output);
  const inside = (child: string, parent: string) => child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
  if (a === b) {
    throw new DenoiseBatchError(
      'same-folder',
      `The output folder is the input folder (${input}): choose another output folder so the originals stay untouched`,
    );
  }
  if (inside(b, a)) {
    throw new DenoiseBatchError(
      'output-inside-input',
      `The output folder ${output} is inside the input folder ${input}: choose an output folder outside it`,
    );
  }
  if (inside(a, b)) {
    throw new DenoiseBatchError(
      'input-inside-output',
      `The input folder ${input} is inside the output folder ${output}: choose an output folder that does not contain it`,
    );
  }
}

/** Creates the output folder if needed and writes (then removes) a small probe file in it. */
export async function checkWritable(output: string): Promise<void> {
  const probe = path.join(output, `.vae-studio-write-check.${process.pid}.${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(output, { recursive: true });
    const handle = await open(probe, 'wx');
    try {
      await handle.writeFile('ok');
      await handle.sync();
    } finally {
      await handle.close();
      await unlink(probe).catch(() => undefined);
    }
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new DenoiseBatchError('write-failed', `Cannot write to ${output}: it is a file, not a folder`, { cause: err });
    }
    const described = describeWriteError(err, probe);
    const message =
      described.kind === 'permission' || described.kind === 'read-only'
        ? described.message // "Cannot write to <output>: permission denied" / "...: read-only"
        : `Cannot write to ${output}: ${described.kind === 'disk-full' ? 'the disk is full' : osReason(err)}`;
    throw new DenoiseBatchError(writeErrorCode(described.kind), message, { cause: err });
  }
}
