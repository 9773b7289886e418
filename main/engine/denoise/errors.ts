// Why a denoise batch could not start or had to stop. Per-file problems are not errors: they are recorded on the
// item and the batch goes on.
import type { FileWriteErrorKind } from '../images/atomic-write';

export type DenoiseBatchErrorCode =
  | 'same-folder'
  | 'same-file'
  | 'unreadable-input'
  | 'output-inside-input'
  | 'input-inside-output'
  | 'input-missing'
  | 'disk-full'
  | 'read-only'
  | 'permission'
  | 'write-failed';

export class DenoiseBatchError extends Error {
  override readonly name = 'DenoiseBatchError';
  constructor(
    readonly code: DenoiseBatchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function writeErrorCode(kind: FileWriteErrorKind): DenoiseBatchErrorCode {
  if (kind === 'disk-full' || kind === 'read-only' || kind === 'permission') return kind;
  return 'write-failed';
}
