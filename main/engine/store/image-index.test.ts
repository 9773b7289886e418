import { describe, expect, it } from 'vitest';
import { ProjectError } from './errors';
import { createTestProject, failedImage, okImage } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';

const tempFolder = useTempFolder();
const BYTES = 16 * 16 * 3;

describe('image index', () => {
  it('upserts by (root, path), lists with filters and counts by status', () => {
    const store = createTestProject(tempFolder());
    const first = store.images.upsert(okImage('a.png'));
    expect(first).toMatchObject({ root: '/photos', path: 'a.png', status: 'ok', width: 40, format: 'png', error: null });
    expect(['train', 'val']).toContain(first.split);
    store.images.upsertMany([okImage('b.png'), okImage('c.png'), failedImage('broken.jpg', 'truncated JPEG')]);
    // Same path again: replaced, not added.
    const replaced = store.images.upsert({ ...okImage('a.png', 'new content'), mtimeMs: 5 });
    expect(replaced.id).toBe(first.id);
    expect(replaced.mtimeMs).toBe(5);
    expect(store.images.find('/photos', 'a.png')?.sha256).toBe(okImage('a.png', 'new content').sha256);
    expect(store.images.pixels(first.id)).toEqual(Buffer.from(okImage('a.png', 'new content').pixels));

    expect(store.images.list().map((image) => image.path)).toEqual(['a.png', 'b.png', 'broken.jpg', 'c.png']);
    expect(store.images.list({ status: 'ok', limit: 2 }).map((image) => image.path)).toEqual(['a.png', 'b.png']);
    expect(store.images.list({ status: 'ok', offset: 2 }).map((image) => image.path)).toEqual(['c.png']);
    expect(store.images.list({ root: '/elsewhere' })).toEqual([]);
    const counts = store.images.counts();
    expect(counts).toMatchObject({ total: 4, ok: 3, failed: 1, duplicate: 0 });
    expect(counts.train + counts.val).toBe(3);
    expect(store.images.failures().map(({ path, error }) => ({ path, error }))).toEqual([
      { path: 'broken.jpg', error: 'truncated JPEG' },
    ]);
    store.close();
  });

  it('turns an image into a failure (dropping its pixels) and back', () => {
    const store = createTestProject(tempFolder());
    const { id } = store.images.upsert(okImage('a.png'));
    store.images.upsert(failedImage('a.png', 'file is empty'));
    expect(store.images.find('/photos', 'a.png')).toMatchObject({ id, status: 'failed', split: null, error: 'file is empty' });
    expect(store.images.pixels(id)).toBeUndefined();
    store.images.upsert(okImage('a.png'));
    expect(store.images.pixels(id)).toHaveLength(BYTES);
    store.close();
  });

  it('marks a second file with the same content as a duplicate of the first', () => {
    const store = createTestProject(tempFolder());
    store.images.upsert(okImage('cat.png', 'cat'));
    const copy = store.images.upsert(okImage('copy of cat.png', 'cat'));
    expect(copy).toMatchObject({ status: 'duplicate', split: null, error: 'Same content as cat.png' });
    expect(store.images.pixels(copy.id)).toHaveLength(BYTES); // kept so it can take over, never trained on
    expect(store.images.loadPixels('train').count + store.images.loadPixels('val').count).toBe(1);
    const elsewhere = store.images.upsert(okImage('cat.png', 'cat', '/other'));
    expect(elsewhere.error).toBe('Same content as cat.png in /photos');
    expect(store.images.counts()).toMatchObject({ ok: 1, duplicate: 2 });
    store.close();
  });

  it('makes a duplicate the usable copy when the original is deleted, changed or broken', () => {
    const store = createTestProject(tempFolder());
    const usable = () => store.images.list({ status: 'ok' }).map((image) => image.path);
    store.images.upsertMany([okImage('a.png', 'cat'), okImage('b.png', 'cat'), okImage('c.png', 'cat')]);
    expect(usable()).toEqual(['a.png']);
    // Deleted: the importer skips unchanged b.png and c.png, yet the content stays in the dataset.
    store.images.removeMissing('/photos', ['b.png', 'c.png']);
    expect(usable()).toEqual(['b.png']);
    expect(store.images.find('/photos', 'b.png')).toMatchObject({ error: null, split: expect.any(String) });
    expect(store.images.find('/photos', 'c.png')?.error).toBe('Same content as b.png');
    // Changed content: c.png takes over the cat.
    store.images.upsert(okImage('b.png', 'dog'));
    expect(usable()).toEqual(['b.png', 'c.png']);
    // Now broken: nothing left to take over the dog, the cat stays.
    store.images.upsert(failedImage('b.png', 'truncated'));
    expect(usable()).toEqual(['c.png']);
    expect(store.images.loadPixels('train').count + store.images.loadPixels('val').count).toBe(1);
    store.close();
  });

  it('removes the files a new scan did not see, under that root only', () => {
    const store = createTestProject(tempFolder());
    store.images.upsertMany([okImage('a.png'), okImage('b.png'), failedImage('c.gif'), okImage('a.png', 'x', '/other')]);
    const b = store.images.find('/photos', 'b.png')!;
    expect(store.images.removeMissing('/photos', ['a.png'])).toBe(2);
    expect(store.images.list().map((image) => `${image.root}/${image.path}`)).toEqual(['/other/a.png', '/photos/a.png']);
    expect(store.images.pixels(b.id)).toBeUndefined();
    expect(store.images.removeMissing('/photos', new Set(['a.png']))).toBe(0);
    store.close();
  });

  it('loads a split as one contiguous array in content order', () => {
    const store = createTestProject(tempFolder());
    const inputs = Array.from({ length: 40 }, (_, i) => okImage(`img-${i}.png`));
    store.images.upsertMany(inputs);
    store.images.upsert(failedImage('bad.png'));
    const train = store.images.loadPixels('train');
    const val = store.images.loadPixels('val');
    expect(train.count + val.count).toBe(40);
    expect(val.count).toBeGreaterThanOrEqual(1);
    expect(train.data).toBeInstanceOf(Uint8Array);
    expect(train.data.byteLength).toBe(train.count * BYTES);
    const bySha = new Map(inputs.map((input) => [input.sha256, input]));
    const rows = train.imageIds.map((id) => store.images.list().find((image) => image.id === id)!);
    expect(rows.map((row) => row.sha256)).toEqual(rows.map((row) => row.sha256).sort());
    rows.forEach((row, i) => {
      const input = bySha.get(row.sha256!)!;
      expect(Buffer.from(input.pixels).equals(train.data.subarray(i * BYTES, (i + 1) * BYTES))).toBe(true);
    });
    store.close();
  });

  it('loads an empty split as an empty array', () => {
    const store = createTestProject(tempFolder());
    expect(store.images.loadPixels('train')).toEqual({ count: 0, data: new Uint8Array(0), imageIds: [] });
    store.close();
  });

  it('refuses pixels of the wrong size and malformed hashes', () => {
    const store = createTestProject(tempFolder());
    const image = okImage('a.png');
    expect(() => store.images.upsert({ ...image, pixels: new Uint8Array(10) })).toThrow(
      'Prepared pixels of a.png are 10 bytes; this project needs 768',
    );
    expect(() => store.images.upsert({ ...image, sha256: 'XYZ' })).toThrow(ProjectError);
    expect(store.images.counts().total).toBe(0);
    store.close();
  });
});
