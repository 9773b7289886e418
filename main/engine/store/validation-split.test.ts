import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestProject, okImage } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';
import { splitForHash } from './validation-split';

const tempFolder = useTempFolder();
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** The {path → split} map of a project's usable images. */
function splits(store: ReturnType<typeof createTestProject>): Record<string, string | null> {
  return Object.fromEntries(store.images.list({ status: 'ok' }).map((image) => [image.path, image.split]));
}

describe('validation split', () => {
  it('is a function of the content hash: about 1 in 20 goes to val', () => {
    expect(splitForHash('00000000' + 'f'.repeat(56))).toBe('val');
    expect(splitForHash('00000014' + '0'.repeat(56))).toBe('val'); // 0x14 = 20
    expect(splitForHash('00000001' + '0'.repeat(56))).toBe('train');
    const val = Array.from({ length: 20_000 }, (_, i) => splitForHash(sha(`image ${i}`))).filter((s) => s === 'val');
    expect(val.length / 20_000).toBeGreaterThan(0.045);
    expect(val.length / 20_000).toBeLessThan(0.055);
  });

  it('gives the same split whatever the import order, file names or project', () => {
    const inputs = Array.from({ length: 120 }, (_, i) => okImage(`img-${i}.png`));
    const a = createTestProject(tempFolder());
    a.images.upsertMany(inputs);
    const other = createTestProject(tempFolder(), {}, 'other.vaestudio');
    for (const input of [...inputs].reverse()) other.images.upsert({ ...input, path: `renamed/${input.path}` });
    const splitA = splits(a);
    const splitB = Object.fromEntries(Object.entries(splits(other)).map(([path, split]) => [path.slice('renamed/'.length), split]));
    expect(splitB).toEqual(splitA);
    expect(Object.values(splitA).filter((s) => s === 'val').length).toBeGreaterThanOrEqual(1);
    for (const image of a.images.list()) expect(image.split).toBe(splitForHash(image.sha256!));
    a.close();
    other.close();
  });

  it('holds out one image when at least 2 exist and none hashes into val, whatever the order', () => {
    // Contents whose hashes all land in train.
    const trainOnly = Array.from({ length: 12 }, (_, i) => okImage(`t${i}.png`)).filter((image) => splitForHash(image.sha256) === 'train');
    const smallest = [...trainOnly].sort((x, y) => x.sha256.localeCompare(y.sha256))[0];
    const store = createTestProject(tempFolder());
    store.images.upsert(trainOnly[0]);
    expect(store.images.counts()).toMatchObject({ train: 1, val: 0 }); // one image: nothing to hold out
    for (const image of [...trainOnly].reverse()) store.images.upsert(image);
    expect(store.images.counts().val).toBe(1);
    expect(splits(store)[smallest.path]).toBe('val');
    expect(store.images.loadPixels('val').count).toBe(1);
    // Removing the held-out image holds out the next smallest.
    store.images.removeMissing('/photos', trainOnly.filter((image) => image !== smallest).map((image) => image.path));
    expect(store.images.counts().val).toBe(1);
    // An image that hashes into val releases the forced one.
    let n = 0;
    let natural = okImage('natural.png', 'natural 0');
    while (splitForHash(natural.sha256) !== 'val') natural = okImage('natural.png', `natural ${++n}`);
    store.images.upsert(natural);
    expect(store.images.list({ split: 'val' }).map((image) => image.path)).toEqual(['natural.png']);
    store.close();
  });
});
