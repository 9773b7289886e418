// Mistakes a user makes before there is anything trained: each is one clear line naming what is wrong, a
// non-zero exit, and the project (or the lack of one) left exactly as it was.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectInfo } from '../../../main/engine/operations/info';
import { BAD_FILES, makeTempFolder, writeBadFiles } from '../files';
import { ensureBuilt, expectError, expectResult, runCli } from '../run-cli';

const tmp = makeTempFolder('bad-input');
const dir = tmp.dir;

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function newProject(name: string): Promise<string> {
  const project = join(dir, name);
  expectResult(await runCli(['new', project, '--size', '16', '--latent', '8', '--json']));
  return project;
}

beforeAll(ensureBuilt);
afterAll(() => tmp.remove());

describe('project files that are not usable', () => {
  it('a missing project file is named, and not created by any command', async () => {
    const missing = join(dir, 'nowhere.vaestudio');
    for (const args of [
      ['info', missing],
      ['import', missing, dir],
      ['train', missing, '--epochs', '1'],
      ['sample', missing, '--out', join(dir, 'x.png')],
    ]) {
      const message = expectError(await runCli([...args, '--json']));
      expect(message, args.join(' ')).toContain(missing);
      expect(message, args.join(' ')).toMatch(/not found|does not exist|no such/i);
      expect(existsSync(missing), `${args[0]} must not create the project`).toBe(false);
    }
    expect(existsSync(join(dir, 'x.png'))).toBe(false);
  });

  it('a file that is not SQLite is refused as not a project, and left byte for byte as it was', async () => {
    const file = join(dir, 'holiday.vaestudio');
    writeFileSync(file, 'Dear diary, today I trained a VAE.\n'.repeat(20));
    const before = sha(file);
    for (const args of [['info', file], ['import', file, dir], ['train', file]]) {
      const message = expectError(await runCli([...args, '--json']));
      expect(message, args.join(' ')).toContain(file);
      expect(message, args.join(' ')).toMatch(/not a VAE Studio project/i);
    }
    expect(sha(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('a project from a newer version is refused naming the file and the versions, and not touched', async () => {
    const project = await newProject('future.vaestudio');
    const db = new Database(project);
    db.pragma('user_version = 999');
    db.close();
    const before = sha(project);
    for (const args of [['info', project], ['train', project, '--epochs', '1'], ['import', project, dir]]) {
      const message = expectError(await runCli([...args, '--json']));
      expect(message, args.join(' ')).toContain(project);
      expect(message, args.join(' ')).toMatch(/newer/i);
      expect(message, args.join(' ')).toContain('999');
    }
    expect(sha(project)).toBe(before);
    const check = new Database(project, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(999);
    check.close();
  });

  it('creating a project where one exists is refused and keeps the existing one', async () => {
    const project = await newProject('exists.vaestudio');
    const before = sha(project);
    const message = expectError(await runCli(['new', project, '--size', '32', '--json']));
    expect(message).toContain(project);
    expect(message).toMatch(/exists/i);
    expect(sha(project)).toBe(before);
    expect(expectResult<ProjectInfo>(await runCli(['info', project, '--json'])).imageSize).toBe(16);
  });
});

describe('importing folders with nothing to learn from', () => {
  it('an empty folder fails naming the folder, and the project still opens with no images', async () => {
    const project = await newProject('empty-folder.vaestudio');
    const empty = join(dir, 'empty folder');
    mkdirSync(empty);
    const message = expectError(await runCli(['import', project, empty, '--json']));
    expect(message).toContain(empty);
    expect(message).toMatch(/no usable images|no images/i);
    const info = expectResult<ProjectInfo>(await runCli(['info', project, '--json']));
    expect(info.images.total).toBe(0);
  });

  it('a folder with no decodable image fails naming the folder; the failures are recorded per file', async () => {
    const project = await newProject('bad-folder.vaestudio');
    const bad = join(dir, 'bad folder');
    await writeBadFiles(bad, 16);
    const message = expectError(await runCli(['import', project, bad, '--json']));
    expect(message).toContain(bad);
    expect(message).toMatch(/no usable images/i);
    expect(message).toMatch(new RegExp(`${BAD_FILES.length} failed`));
    const info = expectResult<ProjectInfo>(await runCli(['info', project, '--json']));
    expect(info.images).toMatchObject({ ok: 0, failed: BAD_FILES.length });
    expect(info.failed.map((f) => f.path).sort()).toEqual([...BAD_FILES].sort());
  });

  it('a folder that does not exist is named', async () => {
    const project = await newProject('no-folder.vaestudio');
    const nowhere = join(dir, 'no such folder');
    const message = expectError(await runCli(['import', project, nowhere, '--json']));
    expect(message).toContain(nowhere);
    expect(message).toMatch(/not found|does not exist/i);
    expect(existsSync(nowhere)).toBe(false);
  });
});

describe('commands that need what is not there yet', () => {
  it('train on a project with no images says to import first, and starts no run', async () => {
    const project = await newProject('no-images.vaestudio');
    const message = expectError(await runCli(['train', project, '--epochs', '1', '--json']));
    expect(message).toContain(project);
    expect(message).toMatch(/import/);
    const info = expectResult<ProjectInfo>(await runCli(['info', project, '--json']));
    expect(info.runs).toEqual([]);
  });

  it('sample before any training says to train first, and writes no file', async () => {
    const project = await newProject('untrained.vaestudio');
    const out = join(dir, 'too-soon.png');
    const message = expectError(await runCli(['sample', project, '--out', out, '--json']));
    expect(message).toContain(project);
    expect(message).toMatch(/train/);
    expect(existsSync(out)).toBe(false);
    for (const args of [['eval', project], ['reconstruct', project, join(dir, 'any.png'), '--out', out]]) {
      expect(expectError(await runCli([...args, '--json'])), args.join(' ')).toMatch(/train|checkpoint/i);
    }
    expect(existsSync(out)).toBe(false);
  });
});

describe('the command line itself', () => {
  it('an unknown command is named and the real ones listed', async () => {
    const message = expectError(await runCli(['frobnicate', join(dir, 'x.vaestudio'), '--json']));
    expect(message).toContain('frobnicate');
    expect(message).toMatch(/train/);
    expect(message).toMatch(/sample/);
  });

  it('without --json an error is one "Error:" line on stderr, nothing on stdout', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^Error: .*frobnicate/);
  });

  it('a bad flag value on new is refused naming the flag, and creates no file', async () => {
    const project = join(dir, 'never.vaestudio');
    const message = expectError(await runCli(['new', project, '--size', 'big', '--json']));
    expect(message).toContain('--size');
    expect(message).toContain('big');
    expect(existsSync(project)).toBe(false);
  });

  it('a missing required argument names it', async () => {
    const message = expectError(await runCli(['sample', '--json']));
    expect(message).toMatch(/<project>/);
  });
});
