/**
 * Read an image file into memory in one go, safely: a FIFO or device is refused without blocking (opened
 * non-blocking, then checked with fstat on the same handle, so nothing can be swapped in between), an empty or
 * oversized file is refused before reading, and a big file that is not an image by its first bytes is refused
 * without reading the rest.
 */
import { constants as fsConstants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ImageError } from './image-error';
import { MAX_INPUT_BYTES, SNIFF_ABOVE_BYTES } from './limits';
import { osReason } from './os-reason';
import { SNIFF_BYTES, sniffFormat } from './sniff';

// O_NONBLOCK keeps open() of a FIFO from waiting for a writer; it changes nothing for regular files.
// It does not exist on Windows, where FIFOs cannot appear in a folder anyway.
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

export async function readImageFile(absPath: string): Promise<Buffer> {
  let fh: FileHandle;
  try {
    fh = await open(absPath, OPEN_FLAGS);
  } catch (err) {
    throw new ImageError('unreadable', `unreadable: ${osReason(err)}`, { path: absPath, detail: String(err), cause: err });
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new ImageError('unreadable', 'unreadable: is a folder', { path: absPath });
    if (!st.isFile()) {
      throw new ImageError('unreadable', `unreadable: not a regular file (${describe(st)})`, { path: absPath });
    }
    if (st.size === 0) throw new ImageError('empty', 'empty file (0 bytes)', { path: absPath });
    if (st.size > MAX_INPUT_BYTES) {
      throw new ImageError('too-large', `file too large (${mib(st.size)} MB; the limit is ${mib(MAX_INPUT_BYTES)} MB)`, {
        path: absPath,
      });
    }
    if (st.size > SNIFF_ABOVE_BYTES) {
      const head = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await fh.read(head, 0, SNIFF_BYTES, 0); // positional: leaves the file offset at 0
      const sniffed = sniffFormat(head.subarray(0, bytesRead));
      if (!sniffed) throw new ImageError('not-image', 'not an image (unrecognised format)', { path: absPath });
      if (!sniffed.decodable) {
        throw new ImageError('unsupported', `unsupported image format (${sniffed.label})`, { path: absPath });
      }
    }
    const data = await fh.readFile();
    // The file may have been emptied between fstat and read.
    if (data.length === 0) throw new ImageError('empty', 'empty file (0 bytes)', { path: absPath });
    return data;
  } catch (err) {
    if (err instanceof ImageError) throw err;
    throw new ImageError('unreadable', `unreadable: ${osReason(err)}`, { path: absPath, detail: String(err), cause: err });
  } finally {
    await fh.close().catch(() => undefined);
  }
}

function describe(st: Stats): string {
  if (st.isFIFO()) return 'named pipe';
  if (st.isSocket()) return 'socket';
  if (st.isBlockDevice() || st.isCharacterDevice()) return 'device';
  return 'unknown type';
}

const mib = (n: number) => Math.round(n / (1024 * 1024));
