// Every failure that leaves the app engine becomes an RpcError: a code the renderer can act on and a message
// written for the person using the app. Engine errors already carry such messages; only their codes are mapped.
import { RpcError, type RpcErrorCode } from '../../shared/contract/define';
import { DenoiseBatchError } from '../engine/denoise/errors';
import { FileWriteError, ImageError } from '../engine/images';
import { CancelledError } from '../engine/progress';
import { InvalidOptionError } from '../engine/operations/options';
import { NoCheckpointError } from '../engine/operations/model-io';
import { ProjectError, type ProjectErrorCode } from '../engine/store';

const PROJECT_CODES: Partial<Record<ProjectErrorCode, RpcErrorCode>> = {
  'not-found': 'not-found',
  'already-exists': 'invalid-input',
  'invalid-settings': 'invalid-input',
  'invalid-input': 'invalid-input',
  'not-a-project': 'invalid-input',
  busy: 'busy',
};

const INPUT_BATCH_CODES = new Set(['same-folder', 'output-inside-input', 'input-inside-output', 'input-missing']);

/** Errors our code made (not the user, not the disk): said plainly, and logged for developers. */
const BUG_ERRORS = new Set(['TypeError', 'ReferenceError', 'RangeError', 'SyntaxError']);

export function toRpcError(error: unknown, where: string): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError')) {
    return new RpcError('cancelled', 'Cancelled.');
  }
  if (error instanceof NoCheckpointError) {
    return new RpcError('not-found', 'This project has no trained checkpoint yet; train it first.');
  }
  if (error instanceof ProjectError) return new RpcError(PROJECT_CODES[error.code] ?? 'failed', sentence(error.message));
  if (error instanceof InvalidOptionError) return new RpcError('invalid-input', sentence(error.message));
  if (error instanceof ImageError) return new RpcError('invalid-input', sentence(error.message));
  if (error instanceof DenoiseBatchError) {
    return new RpcError(INPUT_BATCH_CODES.has(error.code) ? 'invalid-input' : 'failed', sentence(error.message));
  }
  if (error instanceof FileWriteError) return new RpcError('failed', sentence(error.message));
  if (error instanceof Error && !BUG_ERRORS.has(error.name)) return new RpcError('failed', sentence(error.message));
  console.error(`Unexpected error in ${where}:`, error);
  const detail = error instanceof Error ? error.message : String(error);
  return new RpcError('failed', `Something went wrong in ${where} (${detail}). Please report this.`);
}

/** Engine messages are one-line sentences, some without the final stop; the UI shows them as sentences. */
export function sentence(message: string): string {
  const text = message.trim();
  if (!text) return 'Something went wrong.';
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
