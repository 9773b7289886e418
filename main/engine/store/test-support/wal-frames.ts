// Reads a WAL file's frame headers (https://www.sqlite.org/fileformat.html#the_write_ahead_log) to tell whether
// a killed writer left a transaction half-written: frames of the current WAL generation after its last commit.
import { existsSync, readFileSync } from 'node:fs';

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/** Frames in `<db>-wal` written after the last commit frame: > 0 means a write was cut off mid-transaction. */
export function uncommittedWalFrames(dbPath: string): number {
  const walPath = `${dbPath}-wal`;
  if (!existsSync(walPath)) return 0;
  const wal = readFileSync(walPath);
  if (wal.length < WAL_HEADER_BYTES) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let frames = 0;
  let lastCommit = 0;
  for (let offset = WAL_HEADER_BYTES; offset + FRAME_HEADER_BYTES + pageSize <= wal.length; offset += FRAME_HEADER_BYTES + pageSize) {
    if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) break; // older generation
    frames += 1;
    if (wal.readUInt32BE(offset + 4) !== 0) lastCommit = frames;
  }
  return frames - lastCommit;
}
