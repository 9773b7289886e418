/**
 * Prepare a list of files with bounded concurrency (import of thousands of files). A file that fails becomes a
 * failed outcome with its reason; the batch never throws because of one file. It throws only when the caller's
 * `onResult` throws (e.g. the store could not save: stop rather than lose results) or when `signal` aborts.
 */
import { availableParallelism } from 'node:os';
import { checkSize, prepareImage, type PreparedImage, type PrepareOptions } from './decode';
import { ImageError } from './image-error';
import { mapLimit } from './map-limit';

export type PrepareOutcome<F> =
  | { ok: true; file: F; image: PreparedImage }
  | { ok: false; file: F; reason: string; error: ImageError };

export interface PrepareManyOptions<F> extends PrepareOptions {
  /** Files decoded at the same time; clamped to 1…8. Default: cores − 1, between 2 and 4 (sharp already uses
   *  several threads per image, and libuv's pool has 4 threads unless UV_THREADPOOL_SIZE says otherwise). */
  concurrency?: number;
  /** After each file, in completion order. `done` counts finished files, failed ones included. */
  onProgress?: (done: number, total: number, file: F) => void;
  /**
   * Each outcome as soon as it is ready (completion order; `index` is its position in `files`). Awaited, one at
   * a time, so a store write here is never concurrent with another. Throwing stops the batch.
   */
  onResult?: (outcome: PrepareOutcome<F>, index: number) => void | Promise<void>;
  /** Keep outcomes (pixels included) in the returned array. Default true; pass false with `onResult` to stream
   *  thousands of files without holding all their pixels. */
  collect?: boolean;
  signal?: AbortSignal;
}

export const DEFAULT_PREPARE_CONCURRENCY = Math.min(4, Math.max(2, availableParallelism() - 1));

export async function prepareImages<F extends { absPath: string }>(
  files: readonly F[],
  size: number,
  opts: PrepareManyOptions<F> = {},
): Promise<PrepareOutcome<F>[]> {
  const { concurrency = DEFAULT_PREPARE_CONCURRENCY, onProgress, onResult, collect = true, signal, ...prepare } = opts;
  checkSize(size);
  const width = Math.min(8, Math.max(1, Math.floor(concurrency)));
  let done = 0;
  let delivering: Promise<void> = Promise.resolve();

  const outcomes = await mapLimit(
    files,
    width,
    async (file, index) => {
      const outcome = await prepareOne(file, size, prepare);
      done++;
      onProgress?.(done, files.length, file);
      if (onResult) {
        // Serialise deliveries; a rejection propagates to this file's worker and stops the batch.
        const delivery = delivering.then(() => onResult(outcome, index));
        delivering = delivery.catch(() => undefined);
        await delivery;
      }
      return collect ? outcome : undefined;
    },
    signal,
  );
  return collect ? (outcomes as PrepareOutcome<F>[]) : [];
}

async function prepareOne<F extends { absPath: string }>(
  file: F,
  size: number,
  opts: PrepareOptions,
): Promise<PrepareOutcome<F>> {
  try {
    return { ok: true, file, image: await prepareImage(file.absPath, size, opts) };
  } catch (err) {
    const error =
      err instanceof ImageError
        ? err
        : new ImageError('decode-failed', `could not decode: ${err instanceof Error ? err.message : String(err)}`, {
            path: file.absPath,
            cause: err,
          });
    return { ok: false, file, reason: error.reason, error };
  }
}
