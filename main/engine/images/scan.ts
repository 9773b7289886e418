/**
 * Recursive scan of a user's image folder. Uses lstat, so it never follows a symlinked folder (no loops) and
 * never opens a FIFO, socket or device (opening one can block forever). Every entry it leaves out is reported
 * with a reason; the scan itself only throws when the root cannot be used at all.
 *
 * Names are kept exactly as the file system returns them: no Unicode normalisation (NFC and NFD spellings of
 * "é" are different files on Linux), no case folding. `relPath` always uses '/' as separator so it can be stored
 * and compared across platforms; `absPath` is the native path to open.
 */
import { constants as fsConstants, type Stats } from 'node:fs';
import { access, lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { mapLimit } from './map-limit';
import { errnoCode, osReason } from './os-reason';

export interface ScannedFile {
  /** Path below the scanned root, '/'-separated, exact bytes of the names (no normalisation). */
  relPath: string;
  /** Native absolute path to read the file from. */
  absPath: string;
  size: number;
  mtimeMs: number;
  /** Set when `absPath` is a symbolic link to a regular file (size and mtime are the target's). */
  viaSymlink?: true;
}

export type SkipKind =
  | 'hidden' // dot-name (or an OS thumbnail file); its contents were not looked at
  | 'symlink-folder' // symbolic link to a folder: never followed
  | 'symlink' // symbolic link to a file, with followFileSymlinks: false
  | 'broken-symlink'
  | 'special' // FIFO, socket, device
  | 'unreadable' // permission denied or another OS error
  | 'bad-name' // name is not valid UTF-8, so it cannot be stored or reopened reliably
  | 'loop'; // folder already visited through another path (bind mount)

export interface SkippedEntry {
  /** Path below the root, '/'-separated. */
  path: string;
  /** Short user-facing reason. */
  reason: string;
  kind: SkipKind;
}

export interface ScanResult {
  /** Regular files in stable order (folder by folder, names compared by UTF-16 code units). */
  files: ScannedFile[];
  skipped: SkippedEntry[];
}

export interface ScanOptions {
  /** Also scan dot-files and dot-folders. Default false. */
  includeHidden?: boolean;
  /** Include symbolic links that point to regular files. Default true. Links to folders are never followed. */
  followFileSymlinks?: boolean;
  /** Called now and then with the number of files found so far. */
  onProgress?: (filesFound: number) => void;
  signal?: AbortSignal;
}

/** Thrown only when the root itself cannot be scanned. */
export class ScanError extends Error {
  override readonly name = 'ScanError';
}

/** OS files that are never images; treated like dot-files. */
const JUNK_NAMES = new Set(['thumbs.db', 'ehthumbs.db', 'desktop.ini']);
/** How many entries of one folder are lstat-ed at the same time. */
const STAT_CONCURRENCY = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function scanFolder(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const { includeHidden = false, followFileSymlinks = true, onProgress, signal } = opts;
  const rootAbs = path.resolve(root);
  await checkRoot(rootAbs);

  const files: ScannedFile[] = [];
  const skipped: SkippedEntry[] = [];
  const visited = new Set<string>();
  // Folders still to read: [absolute path, relative path ('' for the root)].
  const queue: Array<[string, string]> = [[rootAbs, '']];
  let rootDone = false;

  for (let q = 0; q < queue.length; q++) {
    signal?.throwIfAborted();
    const [dirAbs, dirRel] = queue[q];

    let names: Buffer[];
    try {
      names = await readdir(dirAbs, { encoding: 'buffer' });
    } catch (err) {
      if (!rootDone) throw new ScanError(`Cannot read folder ${rootAbs}: ${osReason(err)}`);
      skipped.push({ path: dirRel, reason: `folder unreadable: ${osReason(err)}`, kind: 'unreadable' });
      continue;
    }
    rootDone = true;

    await mapLimit(names, STAT_CONCURRENCY, async (raw) => {
      let name: string;
      try {
        name = utf8.decode(raw);
      } catch {
        const shown = joinRel(dirRel, raw.toString('utf8'));
        skipped.push({ path: shown, reason: 'name is not valid UTF-8', kind: 'bad-name' });
        return;
      }
      const rel = joinRel(dirRel, name);
      if (!includeHidden && (name.startsWith('.') || JUNK_NAMES.has(name.toLowerCase()))) {
        skipped.push({ path: rel, reason: 'hidden', kind: 'hidden' });
        return;
      }
      const abs = path.join(dirAbs, name);
      let st: Stats;
      try {
        st = await lstat(abs);
      } catch (err) {
        // ENOENT: deleted while we scanned; anything else: cannot even look at it.
        const reason = errnoCode(err) === 'ENOENT' ? 'disappeared during the scan' : `unreadable: ${osReason(err)}`;
        skipped.push({ path: rel, reason, kind: 'unreadable' });
        return;
      }

      if (st.isDirectory()) {
        const id = `${st.dev}:${st.ino}`;
        if (visited.has(id)) {
          skipped.push({ path: rel, reason: 'folder already scanned (loop)', kind: 'loop' });
        } else {
          visited.add(id);
          queue.push([abs, rel]);
        }
        return;
      }

      let viaSymlink = false;
      if (st.isSymbolicLink()) {
        // Deliberate: a link to a regular file is followed (the file is read through the link); a link to a
        // folder is never followed, which is what rules out loops.
        if (!followFileSymlinks) {
          skipped.push({ path: rel, reason: 'symbolic link (not followed)', kind: 'symlink' });
          return;
        }
        try {
          st = await stat(abs);
        } catch (err) {
          const code = errnoCode(err);
          const reason =
            code === 'ENOENT' ? 'broken symbolic link' : code === 'ELOOP' ? 'symbolic link loop' : `unreadable: ${osReason(err)}`;
          skipped.push({ path: rel, reason, kind: code === 'ENOENT' || code === 'ELOOP' ? 'broken-symlink' : 'unreadable' });
          return;
        }
        if (st.isDirectory()) {
          skipped.push({ path: rel, reason: 'symbolic link to a folder (not followed)', kind: 'symlink-folder' });
          return;
        }
        viaSymlink = true;
      }

      if (!st.isFile()) {
        skipped.push({ path: rel, reason: `not a regular file (${specialKind(st)})`, kind: 'special' });
        return;
      }

      try {
        await access(abs, fsConstants.R_OK);
      } catch (err) {
        skipped.push({ path: rel, reason: `unreadable: ${osReason(err)}`, kind: 'unreadable' });
        return;
      }

      const file: ScannedFile = { relPath: rel, absPath: abs, size: st.size, mtimeMs: st.mtimeMs };
      if (viaSymlink) file.viaSymlink = true;
      files.push(file);
    });
    onProgress?.(files.length);
  }

  files.sort((a, b) => comparePaths(a.relPath, b.relPath));
  skipped.sort((a, b) => comparePaths(a.path, b.path));
  return { files, skipped };
}

async function checkRoot(rootAbs: string): Promise<void> {
  let st: Stats;
  try {
    st = await stat(rootAbs); // the root itself may be a symlink the user chose on purpose
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ScanError(`Folder not found: ${rootAbs}`);
    throw new ScanError(`Cannot open folder ${rootAbs}: ${osReason(err)}`);
  }
  if (!st.isDirectory()) throw new ScanError(`${rootAbs} is not a folder`);
}

function joinRel(dirRel: string, name: string): string {
  return dirRel === '' ? name : `${dirRel}/${name}`;
}

function specialKind(st: Stats): string {
  if (st.isFIFO()) return 'named pipe';
  if (st.isSocket()) return 'socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'device';
  return 'unknown type';
}

/** Tree order: compare segment by segment, each by UTF-16 code units (locale-independent, so stable). */
export function comparePaths(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  const n = Math.min(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    if (as[i] !== bs[i]) return as[i] < bs[i] ? -1 : 1;
  }
  return as.length - bs.length; // a folder's own entry comes before its contents
}
