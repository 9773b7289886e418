// Shared test helpers: temporary folders, generated image sets, and the built CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { Rng } from '../../main/engine/ml/rng';
import { drawSyntheticArt } from '../fixtures/synthetic-art';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const NODE = process.execPath;
export const CLI = join(REPO, 'bin', 'vae-studio.js');

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `vae-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes `count` procedurally drawn PNGs into dir and returns their paths. */
export async function writeArtFolder(dir: string, count: number, size: number, seed = 1): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const rng = new Rng(seed);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `art-${String(i).padStart(4, '0')}.png`);
    await sharp(drawSyntheticArt(rng, size), { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
    files.push(file);
  }
  return files;
}

export interface JsonEvent {
  event: 'progress' | 'result' | 'error';
  [key: string]: unknown;
}

/** Starts the CLI with --json; `events` fills as lines arrive. */
export function startCli(args: string[], cwd: string): { child: ChildProcess; events: JsonEvent[]; stderr: () => string; done: Promise<number> } {
  const child = spawn(NODE, [CLI, ...args, '--json'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: JsonEvent[] = [];
  let buffer = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim()) events.push(JSON.parse(line) as JsonEvent);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const done = new Promise<number>((res) => child.on('close', (code, signal) => res(code ?? (signal ? 128 : 1))));
  return { child, events, stderr: () => err, done };
}

export async function runCli(args: string[], cwd: string) {
  const run = startCli(args, cwd);
  const code = await run.done;
  const result = run.events.find((e) => e.event === 'result');
  const error = run.events.find((e) => e.event === 'error');
  return { code, events: run.events, result, error, stderr: run.stderr() };
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
