import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../store/hash';
import { createTestProject } from '../store/test-support/fixtures';
import { useTempFolder } from '../store/test-support/temp-folder';
import { runDenoiseBatch } from './batch';
import { DenoiseBatchError } from './errors';
import { reportCsv } from './report-csv';
import { fingerprint, standIn, tinyPng, writePngs } from './test-support/fixtures';

const tempFolder = useTempFolder();

function setup() {
  const dir = tempFolder();
  const input = join(dir, 'in');
  const output = join(dir, 'out');
  mkdirSync(input);
  const store = createTestProject(dir);
  return { dir, input, output, store };
}

describe('runDenoiseBatch', () => {
  it('denoises every image into the same relative paths, never touching the inputs', async () => {
    const { input, output, store } = setup();
    await writePngs(input, ['a.png', 'sub/b.png', 'sub/deeper/c.png', 'é 漢字.png']);
    const before = fingerprint(input);
    const events: number[] = [];
    const fn = standIn();
    const report = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, fn, {
      onProgress: (e) => e.fraction !== null && events.push(e.fraction),
    });
    expect(report).toMatchObject({ done: 4, skipped: 0, failed: [], written: 4, resumed: false });
    expect(fingerprint(input)).toEqual(before);
    const out = fingerprint(output);
    expect(Object.keys(out).sort()).toEqual(Object.keys(before).sort());
    expect(readFileSync(join(output, 'sub', 'b.png'))).toEqual(readFileSync(join(input, 'sub', 'b.png')).map((b) => 255 - b));
    expect(events.at(-1)).toBe(1);
    const items = store.denoiseBatches.items(report.batchId);
    expect(items.every((i) => i.status === 'done' && i.sha256 === before[i.path])).toBe(true);

    // Run again: the same batch, nothing to do.
    const again = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, fn);
    expect(again).toMatchObject({ batchId: report.batchId, done: 4, written: 0, resumed: true });
    expect(fn.calls).toHaveLength(4);
  });

  it('records unreadable and non-image files with their reason and goes on', async () => {
    const { input, output, store } = setup();
    await writePngs(input, ['good.png']);
    writeFileSync(join(input, 'notes.png'), 'just some text, not a picture');
    writeFileSync(join(input, 'empty.jpg'), '');
    writeFileSync(join(input, 'old.bmp'), Buffer.concat([Buffer.from('BM'), Buffer.alloc(60)]));
    execFileSync('mkfifo', [join(input, 'pipe.png')]);
    symlinkSync(join(input, 'missing.png'), join(input, 'broken.png'));
    const fn = standIn();
    const report = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, async (abs) => {
      if (abs.endsWith('good.png')) return fn(abs);
      throw new Error('unexpected');
    });
    expect(report.done).toBe(1);
    const reasons = Object.fromEntries(report.failed.map((f) => [f.path, f.reason]));
    expect(reasons).toEqual({
      'broken.png': 'broken symbolic link',
      'empty.jpg': 'empty file (0 bytes)',
      'notes.png': 'not an image (unrecognised format)',
      'old.bmp': 'unsupported image format (BMP)',
      'pipe.png': 'not a regular file (named pipe)',
    });
  });

  it('a denoiser failure on one file is recorded and the batch goes on', async () => {
    const { input, output, store } = setup();
    await writePngs(input, ['a.png', 'b.png', 'c.png']);
    const report = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, async (abs) => {
      if (abs.endsWith('b.png')) throw new Error('model exploded');
      return tinyPng(9);
    });
    expect(report).toMatchObject({ done: 2, failed: [{ path: 'b.png', reason: 'model exploded' }] });
  });

  it.each([
    ['the same folder', (i: string) => i, 'same-folder', /output folder is the input folder/],
    ['a folder inside the input', (i: string) => join(i, 'denoised'), 'output-inside-input', /is inside the input folder/],
    ['a folder around the input', (i: string) => join(i, '..'), 'input-inside-output', /input folder .* is inside the output folder/],
    ['the input through a symlink', (i: string) => `${i}-link`, 'same-folder', /output folder is the input folder/],
  ])('refuses an output folder that is %s', async (_, outputOf, code, message) => {
    const { input, store } = setup();
    await writePngs(input, ['a.png']);
    symlinkSync(input, `${input}-link`);
    const before = fingerprint(input);
    const fn = standIn();
    const run = runDenoiseBatch(store, { input, output: outputOf(input), onConflict: 'overwrite' }, fn);
    await expect(run).rejects.toThrow(DenoiseBatchError);
    await expect(run).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(fn.calls).toHaveLength(0);
    expect(fingerprint(input)).toEqual(before);
    expect(store.denoiseBatches.list()).toEqual([]);
  });

  it('refuses an output that is a file', async () => {
    const { dir, input, store } = setup();
    writeFileSync(join(dir, 'file'), 'x');
    await expect(runDenoiseBatch(store, { input, output: join(dir, 'file'), onConflict: 'rename' }, standIn())).rejects.toMatchObject({
      message: `Cannot write to ${join(dir, 'file')}: it is a file, not a folder`,
    });
  });

  it('cancels between files, keeping what finished, and resumes later', async () => {
    const { input, output, store } = setup();
    await writePngs(input, ['a.png', 'b.png', 'c.png']);
    const abort = new AbortController();
    const fn = standIn();
    const cancelling = async (abs: string) => {
      abort.abort();
      return fn(abs);
    };
    await expect(runDenoiseBatch(store, { input, output, onConflict: 'rename' }, cancelling, { signal: abort.signal })).rejects.toThrow(
      'Denoising cancelled; 1 finished file is kept',
    );
    const batch = store.denoiseBatches.list()[0];
    expect(batch.status).toBe('cancelled');
    expect(Object.keys(fingerprint(output))).toEqual(['a.png']);
    const report = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, fn);
    expect(report).toMatchObject({ batchId: batch.id, done: 3, written: 2 });
    expect(fn.calls).toHaveLength(3);
  });

  it('refuses a missing input folder', async () => {
    const { dir, output, store } = setup();
    await expect(runDenoiseBatch(store, { input: join(dir, 'nope'), output, onConflict: 'rename' }, standIn())).rejects.toMatchObject({
      code: 'input-missing',
      message: expect.stringMatching(/Input folder not found/),
    });
  });

  describe('conflicts with files already in the output folder', () => {
    async function withExisting(onConflict: 'rename' | 'skip' | 'overwrite') {
      const { input, output, store } = setup();
      await writePngs(input, ['photo.png', 'other.png']);
      mkdirSync(output);
      writeFileSync(join(output, 'photo.png'), 'theirs');
      writeFileSync(join(output, 'photo (1).png'), 'theirs too');
      const report = await runDenoiseBatch(store, { input, output, onConflict }, standIn());
      return { report, output, input, store };
    }
    const denoised = (input: string, name: string) => readFileSync(join(input, name)).map((b) => 255 - b);

    it('rename: writes a unique name and keeps the existing file', async () => {
      const { report, output, input, store } = await withExisting('rename');
      expect(report).toMatchObject({ done: 2, skipped: 0 });
      expect(readFileSync(join(output, 'photo.png'), 'utf8')).toBe('theirs');
      expect(readFileSync(join(output, 'photo (1).png'), 'utf8')).toBe('theirs too');
      expect(readFileSync(join(output, 'photo (2).png'))).toEqual(denoised(input, 'photo.png'));
      expect(store.denoiseBatches.item(report.batchId, 'photo.png')?.outputPath).toBe(join(output, 'photo (2).png'));
    });

    it('skip: leaves the existing file and reports the item skipped', async () => {
      const { report, output, store } = await withExisting('skip');
      expect(report).toMatchObject({ done: 1, skipped: 1 });
      expect(readFileSync(join(output, 'photo.png'), 'utf8')).toBe('theirs');
      expect(store.denoiseBatches.item(report.batchId, 'photo.png')).toMatchObject({ status: 'skipped', error: 'output exists' });
    });

    it('overwrite: replaces the existing file', async () => {
      const { report, output, input } = await withExisting('overwrite');
      expect(report).toMatchObject({ done: 2, skipped: 0 });
      expect(readFileSync(join(output, 'photo.png'))).toEqual(denoised(input, 'photo.png'));
      expect(fingerprint(output)['photo (1).png']).toBe(sha256Hex(Buffer.from('theirs too')));
    });

    it('two inputs mapped to one output name never overwrite each other, whatever the policy', async () => {
      const { input, output, store } = setup();
      await writePngs(input, ['photo.png']);
      writeFileSync(join(input, 'photo.jpeg'), await tinyPng(42)); // a PNG named .jpeg: content decides
      const report = await runDenoiseBatch(store, { input, output, onConflict: 'overwrite', outputExtension: '.png' }, standIn());
      expect(report.done).toBe(2);
      expect(Object.keys(fingerprint(output)).sort()).toEqual(['photo (1).png', 'photo.png']);
    });
  });

  it('resumes an item killed after its rename without denoising it again', async () => {
    const { input, output, store } = setup();
    await writePngs(input, ['a.png', 'b.png']);
    const repo = store.denoiseBatches;
    const batch = repo.create({ inputFolder: input, outputFolder: output, onConflict: 'rename' });
    repo.addItems(batch.id, ['a.png', 'b.png']);
    const bytes = readFileSync(join(input, 'a.png')).map((b) => 255 - b);
    mkdirSync(output);
    writeFileSync(join(output, 'a.png'), bytes);
    writeFileSync(join(output, '.a.png.99999.0123456789ab.tmp'), 'half');
    repo.claimOutput(batch.id, 'a.png', join(output, 'a.png'), sha256Hex(bytes), sha256Hex(readFileSync(join(input, 'a.png'))));
    const fn = standIn();
    const report = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, fn);
    expect(report).toMatchObject({ batchId: batch.id, done: 2, written: 1, resumed: true });
    expect(fn.calls.map((c) => c.slice(input.length + 1))).toEqual(['b.png']);
    expect(Object.keys(fingerprint(output)).sort()).toEqual(['a.png', 'b.png']);
  });

  it('a claimed item whose output never landed is redone into its claimed name', async () => {
    const { input, output, store } = setup();
    await writePngs(input, ['a.png']);
    mkdirSync(output);
    writeFileSync(join(output, 'a.png'), 'theirs');
    const repo = store.denoiseBatches;
    const batch = repo.create({ inputFolder: input, outputFolder: output, onConflict: 'rename' });
    repo.addItems(batch.id, ['a.png']);
    repo.claimOutput(batch.id, 'a.png', join(output, 'a (1).png'), 'f'.repeat(64), 'e'.repeat(64));
    writeFileSync(join(output, '.a (1).png.99999.0123456789ab.tmp'), 'half-written');
    await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, standIn());
    expect(Object.keys(fingerprint(output)).sort()).toEqual(['a (1).png', 'a.png']);
  });

  it('exports the report as RFC 4180 CSV', async () => {
    const { input, output, store } = setup();
    await writePngs(input, ['plain.png', 'a,"quoted".png']);
    writeFileSync(join(input, 'bad\nname.png'), 'text');
    const report = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, standIn());
    const csv = reportCsv(store, report.batchId);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('path,status,output,reason,input_sha256,estimated_sigma,sigma_used');
    expect(csv).toContain(`"a,""quoted"".png",done,"${join(output, 'a,""quoted"".png')}",,`);
    expect(csv).toContain('"bad\nname.png",failed,,not an image (unrecognised format),');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it("records each photo's noise level with its output: in the report and the CSV, empty where none was measured", async () => {
    const { input, output, store } = setup();
    await writePngs(input, ['quiet.png', 'noisy.png', 'bad.png']);
    writeFileSync(join(input, 'bad.png'), 'text');
    const sigmas: Record<string, { estimatedSigma: number; sigma: number }> = { 'quiet.png': { estimatedSigma: 1.2, sigma: 1.2 }, 'noisy.png': { estimatedSigma: 24.8, sigma: 30 } };
    const report = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, async (absIn) => ({
      bytes: readFileSync(absIn),
      noise: sigmas[basename(absIn)],
    }));
    expect(report.noise).toEqual([
      { path: 'noisy.png', estimatedSigma: 24.8, sigma: 30 },
      { path: 'quiet.png', estimatedSigma: 1.2, sigma: 1.2 },
    ]);
    const rows = reportCsv(store, report.batchId).trim().split('\r\n').slice(1).map((l) => [l.split(',')[0], ...l.split(',').slice(-2)]);
    expect(rows).toEqual([['bad.png', '', ''], ['noisy.png', '24.8', '30.0'], ['quiet.png', '1.2', '1.2']]);
  });
});
