import { describe, expect, it } from 'vitest';
import { createTestProject } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';

const tempFolder = useTempFolder();
const sha = (c: string) => c.repeat(64);

describe('DenoiseBatches', () => {
  it('keeps batches per folder pair and items per file, done only after a claim', () => {
    const store = createTestProject(tempFolder());
    const repo = store.denoiseBatches;
    const batch = repo.create({ inputFolder: '/in', outputFolder: '/out', onConflict: 'rename' });
    expect(batch).toMatchObject({ status: 'created', onConflict: 'rename', error: null });
    expect(repo.latestFor('/in', '/out')?.id).toBe(batch.id);
    expect(repo.latestFor('/in', '/other')).toBeUndefined();

    expect(repo.addItems(batch.id, ['b.png', 'a.png', 'c.png'])).toBe(3);
    expect(repo.addItems(batch.id, ['a.png', 'd.png'])).toBe(1);
    expect(() => repo.markDone(batch.id, 'a.png')).toThrow(/no claimed output/);
    repo.claimOutput(batch.id, 'a.png', '/out/a.png', sha('1'), sha('2'));
    expect(repo.isOutputTaken(batch.id, '/out/a.png', 'b.png')).toBe(true);
    expect(repo.isOutputTaken(batch.id, '/OUT/A.png', 'b.png')).toBe(false);
    expect(repo.isOutputTaken(batch.id, '/OUT/A.png', 'b.png', true)).toBe(true);
    expect(repo.isOutputTaken(batch.id, '/out/a.png', 'a.png')).toBe(false);
    repo.markDone(batch.id, 'a.png');
    repo.markSkipped(batch.id, 'b.png', 'output exists', '/out/b.png', sha('3'));
    repo.markFailed(batch.id, 'c.png', 'not an image (unrecognised format)');
    expect(repo.counts(batch.id)).toEqual({ pending: 1, done: 1, skipped: 1, failed: 1 });
    expect(repo.items(batch.id).map((i) => i.path)).toEqual(['a.png', 'b.png', 'c.png', 'd.png']);

    expect(repo.retryUnfinished(batch.id)).toBe(2);
    expect(repo.item(batch.id, 'a.png')).toMatchObject({ status: 'done', outputPath: '/out/a.png', sha256: sha('2') });
    expect(repo.item(batch.id, 'c.png')).toMatchObject({ status: 'pending', error: null, outputPath: null });

    repo.update(batch.id, { status: 'stopped', error: 'The disk is full', onConflict: 'skip' });
    expect(repo.get(batch.id)).toMatchObject({ status: 'stopped', error: 'The disk is full', onConflict: 'skip' });
    repo.delete(batch.id);
    expect(repo.items(batch.id)).toEqual([]);
    store.close();
  });
});
