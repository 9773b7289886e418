import { describe, expect, it } from 'vitest';
import { createTestProject, testRunConfig } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';

const tempFolder = useTempFolder();
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('previews', () => {
  it('stores PNG previews per run and kind, listing them without their bytes', () => {
    const store = createTestProject(tempFolder());
    const run = store.runs.create(testRunConfig());
    store.previews.add({ runId: run.id, epoch: 1, step: 200, kind: 'samples', png: PNG });
    const first = store.previews.add({ runId: run.id, epoch: 0, step: 100, kind: 'reconstruction', png: PNG });
    expect(first).toMatchObject({ runId: run.id, epoch: 0, step: 100, kind: 'reconstruction', bytes: PNG.length });
    expect(store.previews.list(run.id).map((p) => p.step)).toEqual([100, 200]);
    expect(store.previews.list(run.id, 'samples').map((p) => p.kind)).toEqual(['samples']);
    expect(store.previews.list(run.id)[0]).not.toHaveProperty('png');
    expect(Buffer.from(store.previews.get(first.id)!.png).equals(PNG)).toBe(true);
    expect(() => store.previews.add({ runId: run.id, epoch: 0, step: 1, kind: 'samples', png: new Uint8Array(20) })).toThrow(
      'A preview must be a PNG image',
    );
    store.close();
  });
});
