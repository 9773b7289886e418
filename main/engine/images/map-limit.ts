/**
 * Run an async function over a list with at most `limit` calls in flight. Results keep the input order.
 * If `fn` throws, no new calls start, the ones in flight are awaited, and the first error is rethrown.
 * When `signal` aborts, no new calls start and, once the ones in flight settle, `signal.reason` is thrown.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  let next = 0;
  let failure: { error: unknown } | undefined;

  async function worker(): Promise<void> {
    while (!failure && !signal?.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  }

  await Promise.all(Array.from({ length: width }, worker));
  if (failure) throw failure.error;
  signal?.throwIfAborted();
  return results;
}
