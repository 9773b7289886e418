import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit } from './map-limit';
import { prepareImages, type PrepareOutcome } from './prepare-many';

let dir: string;
let files: { absPath: string; name: string }[];
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'vae-many-'));
  files = [];
  for (let k = 0; k < 12; k++) {
    const name = `img-${k}.png`;
    const absPath = path.join(dir, name);
    if (k === 5) await writeFile(absPath, 'not an image');
    else await writeFile(absPath, await sharp({ create: { width: 20, height: 10, channels: 3, background: { r: k * 20, g: 0, b: 0 } } }).png().toBuffer());
    files.push({ absPath, name });
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('prepareImages', () => {
  it('returns outcomes in input order, a failure in place, never throwing for one file', async () => {
    const out = await prepareImages(files, 4);
    expect(out.map((o) => o.file.name)).toEqual(files.map((f) => f.name));
    expect(out.filter((o) => !o.ok).map((o) => o.file.name)).toEqual(['img-5.png']);
    const failed = out[5] as Extract<PrepareOutcome<unknown>, { ok: false }>;
    expect(failed.reason).toBe('not an image (unrecognised format)');
    expect(failed.error.code).toBe('not-image');
  });

  it('streams outcomes one at a time through onResult, with collect: false holding nothing', async () => {
    let active = 0;
    let maxActive = 0;
    const seen: number[] = [];
    const out = await prepareImages(files, 4, {
      concurrency: 4,
      collect: false,
      onResult: async (_o, index) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 2));
        seen.push(index);
        active--;
      },
    });
    expect(out).toEqual([]);
    expect(maxActive).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(files.map((_, i) => i));
  });

  it('stops and rethrows when onResult throws (e.g. the store is full)', async () => {
    let calls = 0;
    await expect(
      prepareImages(files, 4, {
        concurrency: 2,
        onResult: () => {
          calls++;
          if (calls === 3) throw new Error('store full');
        },
      }),
    ).rejects.toThrow('store full');
    expect(calls).toBeLessThan(files.length);
  });

  it('stops starting files when aborted', async () => {
    const controller = new AbortController();
    let done = 0;
    await expect(
      prepareImages(files, 4, {
        concurrency: 2,
        signal: controller.signal,
        onProgress: (d) => {
          done = d;
          if (d === 3) controller.abort();
        },
      }),
    ).rejects.toThrow();
    expect(done).toBeLessThan(files.length);
  });
});

describe('mapLimit', () => {
  it('never runs more than the limit at once and keeps order', async () => {
    let active = 0;
    let maxActive = 0;
    const out = await mapLimit(Array.from({ length: 20 }, (_, i) => i), 3, async (i) => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      active--;
      return i * 2;
    });
    expect(maxActive).toBe(3);
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });
});
