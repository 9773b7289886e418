// Content hashes: how the store names images and checks blobs.
import { createHash } from 'node:crypto';

/** sha256 of some bytes as 64 lowercase hex digits: how the store names content and checks blobs. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
