// Scan + prepare over the generated corpus: every file ends up imported, failed with its reason, or skipped
// with its reason — and the batch goes on.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeImageCorpus, type ImageCorpus } from '../../../tests/fixtures/make-image-corpus';
import { prepareImages, type PrepareOutcome } from './prepare-many';
import { scanFolder, type ScannedFile, type ScanResult } from './scan';

const SIZE = 32;
let corpus: ImageCorpus;
let scan: ScanResult;
let outcomes: PrepareOutcome<ScannedFile>[];
const progress: Array<[number, number]> = [];

beforeAll(async () => {
  corpus = await makeImageCorpus(await mkdtemp(path.join(os.tmpdir(), 'vae-corpus-')));
  for (const note of corpus.notTestable) console.warn(`[image corpus] not testable here: ${note}`);
  scan = await scanFolder(corpus.dir);
  outcomes = await prepareImages(scan.files, SIZE, {
    concurrency: 3,
    onProgress: (done, total) => progress.push([done, total]),
  });
});
afterAll(async () => corpus?.cleanup());

const byPath = () => new Map(outcomes.map((o) => [o.file.relPath, o]));

describe('scan over the corpus', () => {
  it('lists exactly the regular files, readable and not hidden', () => {
    const listed = scan.files.map((f) => f.relPath).sort();
    expect(listed).toEqual([...corpus.expectedOk, ...Object.keys(corpus.expectedFailed)].sort());
  });

  it('reports every skipped entry with its reason', () => {
    const skipped = new Map(scan.skipped.map((s) => [s.path, s.reason]));
    for (const [rel, reason] of Object.entries(corpus.expectedSkipped)) {
      expect(skipped.get(rel), rel).toContain(reason);
    }
    // Nothing else is skipped (hidden folder contents are not descended into).
    expect([...skipped.keys()].sort()).toEqual(Object.keys(corpus.expectedSkipped).sort());
  });

  it('keeps Unicode names byte-exact (NFC and NFD, emoji, CJK, RTL, case)', () => {
    const listed = new Set(scan.files.map((f) => f.relPath));
    for (const name of corpus.unicodeNames) expect(listed.has(name), JSON.stringify(name)).toBe(true);
    const nfc = corpus.unicodeNames.find((n) => n.includes('caf\u00e9'));
    const nfd = corpus.unicodeNames.find((n) => n.includes('cafe\u0301'));
    if (nfc && nfd) expect(nfc).not.toBe(nfd);
  });

  it('is in stable, sorted order and gives absolute paths that exist under the root', () => {
    const again = scan.files.map((f) => f.relPath);
    expect(again).toEqual([...again].sort((a, b) => (a === b ? 0 : cmpTree(a, b))));
    for (const f of scan.files) expect(f.absPath).toBe(path.join(corpus.dir, ...f.relPath.split('/')));
  });

  it('skips an unreadable file and folder with "permission denied" (chmod 000; not testable as root)', (ctx) => {
    if (!corpus.permissionsEnforced) {
      console.warn('[image corpus] not testable here: chmod 000 does not block reading for this user (root)');
      ctx.skip();
    }
    const skipped = new Map(scan.skipped.map((s) => [s.path, s]));
    expect(skipped.get(corpus.locked.file)).toMatchObject({ kind: 'unreadable', reason: 'unreadable: permission denied' });
    expect(skipped.get(corpus.locked.folder)).toMatchObject({ kind: 'unreadable', reason: 'folder unreadable: permission denied' });
  });

  it('marks a followed file symlink', () => {
    if (!corpus.fileSymlink) return;
    const link = scan.files.find((f) => f.relPath === corpus.fileSymlink);
    expect(link?.viaSymlink).toBe(true);
  });
});

describe('prepare over the corpus', () => {
  it('prepares every good file to size×size×3 and records the content format', () => {
    const map = byPath();
    for (const rel of corpus.expectedOk) {
      const o = map.get(rel);
      expect(o?.ok, `${rel}: ${o && !o.ok ? o.reason : ''}`).toBe(true);
      if (!o?.ok) continue;
      expect(o.image.pixels.length).toBe(SIZE * SIZE * 3);
      expect(o.image.format, rel).toBe(corpus.expectedFormats[rel]);
      expect(o.image.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(o.image.bytes).toBe(o.file.size);
    }
  });

  it('fails every bad file with its reason, without stopping the batch', () => {
    const map = byPath();
    for (const [rel, reason] of Object.entries(corpus.expectedFailed)) {
      const o = map.get(rel);
      expect(o?.ok, rel).toBe(false);
      if (o && !o.ok) expect(o.reason, rel).toContain(reason);
    }
    expect(outcomes.length).toBe(scan.files.length);
  });

  it('gives exact duplicates the same hash and different files different hashes', () => {
    const map = byPath();
    const [a, b] = corpus.duplicates.map((rel) => map.get(rel));
    expect(a?.ok && b?.ok).toBe(true);
    if (a?.ok && b?.ok) expect(a.image.sha256).toBe(b.image.sha256);
    const hashes = outcomes.flatMap((o) => (o.ok ? [o.image.sha256] : []));
    const symlinked = corpus.fileSymlink ? 1 : 0; // the symlink reads the same bytes as its target
    expect(new Set(hashes).size).toBe(hashes.length - 1 - symlinked);
  });

  it('reports progress once per file, ending at total', () => {
    expect(progress.length).toBe(scan.files.length);
    expect(progress.at(-1)).toEqual([scan.files.length, scan.files.length]);
    expect(progress.map(([d]) => d)).toEqual(progress.map((_, i) => i + 1));
  });
});

function cmpTree(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) if (as[i] !== bs[i]) return as[i] < bs[i] ? -1 : 1;
  return as.length - bs.length;
}
