import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparePaths, scanFolder, ScanError } from './scan';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vae-scan-'));
  for (const rel of ['b.png', 'a-b.png', 'a/z.png', 'a/b/c.png', 'A.png', '.secret/x.png', '.dot.png']) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), rel);
  }
  await writeFile(path.join(root, 'Thumbs.db'), 'junk');
  await symlink('b.png', path.join(root, 'link.png')).catch(() => undefined);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scanFolder', () => {
  it('throws a one-line error for a missing root or a file as root', async () => {
    const missing = path.join(root, 'nope');
    await expect(scanFolder(missing)).rejects.toThrow(new ScanError(`Folder not found: ${missing}`));
    const file = path.join(root, 'b.png');
    await expect(scanFolder(file)).rejects.toThrow(`${file} is not a folder`);
  });

  it('lists files in tree order with sizes and times', async () => {
    const { files } = await scanFolder(root);
    expect(files.map((f) => f.relPath)).toEqual(['A.png', 'a/b/c.png', 'a/z.png', 'a-b.png', 'b.png', 'link.png']);
    const c = files.find((f) => f.relPath === 'a/b/c.png')!;
    expect(c.size).toBe('a/b/c.png'.length);
    expect(c.mtimeMs).toBeGreaterThan(0);
    expect(path.isAbsolute(c.absPath)).toBe(true);
  });

  it('skips hidden entries and OS junk unless asked, without descending into hidden folders', async () => {
    const { skipped } = await scanFolder(root);
    expect(skipped.filter((s) => s.kind === 'hidden').map((s) => s.path)).toEqual(['.dot.png', '.secret', 'Thumbs.db']);
    const all = await scanFolder(root, { includeHidden: true });
    expect(all.files.map((f) => f.relPath)).toContain('.secret/x.png');
  });

  it('can leave file symlinks out', async () => {
    const { files, skipped } = await scanFolder(root, { followFileSymlinks: false });
    expect(files.map((f) => f.relPath)).not.toContain('link.png');
    expect(skipped).toContainEqual({ path: 'link.png', reason: 'symbolic link (not followed)', kind: 'symlink' });
  });

  it('accepts a relative root and reports progress', async () => {
    const seen: number[] = [];
    const { files } = await scanFolder(path.relative(process.cwd(), root), { onProgress: (n) => seen.push(n) });
    expect(files.length).toBe(6);
    expect(seen.at(-1)).toBe(6);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scanFolder(root, { signal: controller.signal })).rejects.toThrow();
  });

  it('reports a name that is not valid UTF-8 instead of mangling it (Linux)', async (ctx) => {
    if (process.platform !== 'linux') ctx.skip();
    const dir = path.join(root, '..', `${path.basename(root)}-bytes`);
    await mkdir(dir, { recursive: true });
    try {
      const bad = Buffer.concat([Buffer.from(dir + path.sep), Buffer.from([0x66, 0xff, 0x2e, 0x70, 0x6e, 0x67])]);
      await writeFile(bad, 'x');
      await writeFile(path.join(dir, 'ok.png'), 'x');
      const { files, skipped } = await scanFolder(dir);
      expect(files.map((f) => f.relPath)).toEqual(['ok.png']);
      expect(skipped).toHaveLength(1);
      expect(skipped[0]).toMatchObject({ kind: 'bad-name', reason: 'name is not valid UTF-8' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('comparePaths', () => {
  it('orders by segment, so a folder’s contents stay together', () => {
    const paths = ['a-b.png', 'a/z.png', 'a.png', 'a/b/c.png', 'B', 'a'];
    expect([...paths].sort(comparePaths)).toEqual(['B', 'a', 'a/b/c.png', 'a/z.png', 'a-b.png', 'a.png']);
  });
});
