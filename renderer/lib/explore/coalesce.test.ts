import { describe, expect, it } from 'vitest';
import { LatestOnly } from './coalesce';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('live decode coalescing', () => {
  it('keeps one request in flight and sends only the latest one made meanwhile', async () => {
    const sent: number[] = [];
    const results: number[] = [];
    const waits: ReturnType<typeof deferred<number>>[] = [];
    const q = new LatestOnly<number, number>(
      (n) => {
        sent.push(n);
        const d = deferred<number>();
        waits.push(d);
        return d.promise;
      },
      (out) => results.push(out),
      () => {},
    );
    q.request(1);
    q.request(2);
    q.request(3);
    q.request(4);
    expect(sent).toEqual([1]);
    waits[0].resolve(10);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([1, 4]);
    waits[1].resolve(40);
    await new Promise((r) => setTimeout(r, 0));
    expect(results).toEqual([10, 40]);
    expect(q.busy).toBe(false);
  });

  it('reports a failure and carries on with the next request', async () => {
    const errors: unknown[] = [];
    const results: number[] = [];
    const q = new LatestOnly<number, number>(
      async (n) => {
        if (n === 1) throw new Error('decode failed');
        return n;
      },
      (out) => results.push(out),
      (err) => errors.push(err),
    );
    q.request(1);
    q.request(2);
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(errors).toHaveLength(1);
    expect(results).toEqual([2]);
  });
});
