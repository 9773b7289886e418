// The batch under real failures: SIGKILL mid-batch then resume, a read-only and a full output disk (a tiny tmpfs,
// which needs root to mount), and an unreadable input (as uid 65534, since root reads through chmod 000).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openProject } from '../../../main/engine/store/open';
import { createTestProject } from '../../../main/engine/store/test-support/fixtures';
import { useTempFolder } from '../../../main/engine/store/test-support/temp-folder';
import { runDenoiseBatch } from '../../../main/engine/denoise/batch';
import type { ProjectSettings } from '../../../main/engine/store/settings';
import { fingerprint, standIn, writeNoisyPhotos, writePngs } from '../../../main/engine/denoise/test-support/fixtures';

const tempFolder = useTempFolder();
const TSX = resolve('node_modules/.bin/tsx');
const CHILD = resolve('tests/integration/denoise/batch-child.ts');
const isRoot = process.getuid?.() === 0;

interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the batch in a child; with `killAfterOutputs`, SIGKILLs it once that many outputs are in place. */
function runChild(
  args: string[],
  opts: { killAfterOutputs?: { folder: string; count: number }; uid?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildRun> {
  return new Promise((done, fail) => {
    // Its own process group: tsx runs the script in a child node process, and both must die at once.
    const child = spawn(TSX, [CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], uid: opts.uid, gid: opts.uid, detached: true, env: { ...process.env, ...opts.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const kill = opts.killAfterOutputs;
    const timer = kill
      ? setInterval(() => {
          const outputs = existsSync(kill.folder) ? readdirSync(kill.folder).filter((n) => !n.startsWith('.')) : [];
          if (outputs.length >= kill.count && child.pid) process.kill(-child.pid, 'SIGKILL');
        }, 2)
      : undefined;
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

const resultOf = (run: ChildRun) => {
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (!line.startsWith('{')) throw new Error(`child printed no result: ${run.stderr}`);
  return JSON.parse(line) as { result?: { done: number; failed: Array<{ path: string; reason: string }> }; error?: string; code?: string };
};

/**
 * SIGKILLs a batch once `killAt` outputs are in `killFolder` (below the output folder), runs it again, and checks
 * every input was processed once (bar the one in flight at the kill), the outputs match an uninterrupted run's
 * byte for byte, and the inputs are untouched.
 */
async function killAndResume(opts: {
  names: string[];
  killFolder: string;
  killAt: number;
  sleepMs: number;
  settings?: Partial<ProjectSettings>;
  env?: NodeJS.ProcessEnv;
  write?: (input: string, names: string[]) => Promise<void>;
}): Promise<void> {
  const { names, env } = opts;
  const dir = tempFolder();
  const input = join(dir, 'in');
  await (opts.write ?? writePngs)(input, names);
  const inputsBefore = fingerprint(input);

  // Reference: one uninterrupted run in its own project.
  createTestProject(dir, opts.settings, 'reference.vaestudio').close();
  const reference = await runChild([join(dir, 'reference.vaestudio'), input, join(dir, 'ref-out'), join(dir, 'ref-calls'), '0'], { env });
  expect(resultOf(reference).result?.done).toBe(names.length);

  createTestProject(dir, opts.settings).close();
  const project = join(dir, 'test.vaestudio');
  const output = join(dir, 'out');
  const counter = join(dir, 'calls');
  const args = [project, input, output, counter, String(opts.sleepMs)];
  const killed = await runChild(args, { env, killAfterOutputs: { folder: join(output, opts.killFolder), count: opts.killAt } });
  expect(killed.signal).toBe('SIGKILL');
  await new Promise((r) => setTimeout(r, 100)); // the group's other process too

  // What the killed run finished, as the project file says after the crash.
  const store = openProject(project);
  const doneBeforeKill = store.denoiseBatches.items(store.denoiseBatches.list()[0].id, 'done').map((i) => i.path);
  expect(store.integrityCheck()).toBe('ok');
  store.close();
  expect(doneBeforeKill.length).toBeGreaterThan(names.length / 8);
  expect(doneBeforeKill.length).toBeLessThan(names.length);

  const resumed = await runChild(args, { env });
  expect(resultOf(resumed).result).toMatchObject({ done: names.length, failed: [] });

  const calls = readFileSync(counter, 'utf8').trim().split('\n');
  const perFile = new Map<string, number>();
  for (const c of calls) perFile.set(c, (perFile.get(c) ?? 0) + 1);
  expect([...perFile.keys()].sort()).toEqual([...names].sort());
  for (const path of doneBeforeKill) expect(perFile.get(path)).toBe(1); // finished work is never redone
  expect(calls.length).toBeLessThanOrEqual(names.length + 1); // at most the one file in flight at the kill is denoised twice

  expect(fingerprint(output)).toEqual(fingerprint(join(dir, 'ref-out'))); // no duplicates, no temp files left
  expect(fingerprint(input)).toEqual(inputsBefore);
}

describe('denoise batch: kill -9 and resume', () => {
  it('processes every input once, writes each output once, byte-identical to an uninterrupted run', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `${i % 3 ? 'sub/' : ''}img-${String(i).padStart(2, '0')}.png`);
    await killAndResume({ names, killFolder: 'sub', killAt: 13, sleepMs: 15 });
  });

  it('the same with the real denoiser (shipped weights) on noisy photos', async () => {
    const names = Array.from({ length: 16 }, (_, i) => `photo-${String(i).padStart(2, '0')}.png`);
    await killAndResume({
      names,
      killFolder: '.',
      killAt: 8,
      sleepMs: 5,
      settings: { kind: 'denoise', imageSize: 64, latentSize: 16 },
      env: { DENOISER: 'model' },
      write: writeNoisyPhotos,
    });
  }, 60_000);
});

describe('denoise batch: output disk read-only or full', () => {
  const mounts: string[] = [];
  afterEach(() => {
    while (mounts.length) execFileSync('umount', ['-l', mounts.pop()!]);
  });
  const canMount = (() => {
    if (!isRoot) return false;
    try {
      execFileSync('mount', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!canMount) console.log('[denoise batch] read-only / full disk tests need root to mount a tmpfs: skipped');

  function mountTmpfs(at: string, size: string): void {
    mkdirSync(at, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at], { stdio: 'pipe' });
    mounts.push(at);
  }

  it.skipIf(!canMount)('refuses a read-only output folder before starting', async () => {
    const dir = tempFolder();
    const input = join(dir, 'in');
    await writePngs(input, ['a.png']);
    const disk = join(dir, 'ro');
    mountTmpfs(disk, '1m');
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    const store = createTestProject(dir);
    const fn = standIn();
    await expect(runDenoiseBatch(store, { input, output: disk, onConflict: 'rename' }, fn)).rejects.toMatchObject({
      code: 'read-only',
      message: `Cannot write to ${disk}: read-only`,
    });
    expect(fn.calls).toHaveLength(0);
    store.close();
  });

  it.skipIf(!canMount)('stops on a full disk with a clear message, keeps what finished, resumes once space is freed', async () => {
    const dir = tempFolder();
    const input = join(dir, 'in');
    const names = Array.from({ length: 30 }, (_, i) => `img-${String(i).padStart(2, '0')}.png`);
    await writePngs(input, names);
    const disk = join(dir, 'small');
    mountTmpfs(disk, '64k');
    const output = join(disk, 'out');
    const store = createTestProject(dir);
    const fn = standIn();
    const big = async (abs: string) => Buffer.concat([Buffer.from(await fn(abs)), Buffer.alloc(6000)]);
    await expect(runDenoiseBatch(store, { input, output, onConflict: 'rename' }, big)).rejects.toMatchObject({
      code: 'disk-full',
      message: expect.stringMatching(/^The disk is full \(writing img-\d+\.png\)\. Denoising stopped; finished files are kept/),
    });
    const batch = store.denoiseBatches.list()[0];
    expect(batch.status).toBe('stopped');
    const done = store.denoiseBatches.counts(batch.id).done;
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(30);
    expect(readdirSync(output).filter((n) => n.startsWith('.'))).toEqual([]); // no temp file left behind

    execFileSync('mount', ['-o', 'remount,size=4m', disk]);
    const report = await runDenoiseBatch(store, { input, output, onConflict: 'rename' }, big);
    expect(report).toMatchObject({ done: 30, failed: [], resumed: true });
    expect(readdirSync(output).sort()).toEqual(names);
    expect(fn.calls.length).toBeLessThanOrEqual(31); // only the file that hit the full disk was denoised twice
    store.close();
  });
});

describe.skipIf(!isRoot)('denoise batch as an ordinary user (uid 65534)', () => {
  it('reports an unreadable input by name, and refuses an output folder it may not write', async () => {
    const dir = tempFolder();
    chmodSync(dir, 0o777);
    const input = join(dir, 'in');
    await writePngs(input, ['ok.png', 'secret.png']);
    chmodSync(join(input, 'secret.png'), 0o000);
    createTestProject(dir).close();
    const project = join(dir, 'test.vaestudio');
    chownSync(project, 65534, 65534);
    writeFileSync(join(dir, 'calls'), '');
    chownSync(join(dir, 'calls'), 65534, 65534);

    const output = join(dir, 'out');
    mkdirSync(output, { mode: 0o777 });
    chmodSync(output, 0o777);
    const run = await runChild([project, input, output, join(dir, 'calls'), '0'], { uid: 65534 });
    expect(resultOf(run).result).toMatchObject({ done: 1, failed: [{ path: 'secret.png', reason: 'unreadable: permission denied' }] });

    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    const refused = resultOf(await runChild([project, input, locked, join(dir, 'calls'), '0'], { uid: 65534 }));
    expect(refused).toEqual({ error: `Cannot write to ${locked}: permission denied`, code: 'permission' });
    expect(readdirSync(locked)).toEqual([]);
  });
});
