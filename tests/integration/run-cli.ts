// Runs the built CLI (bin/vae-studio.js → dist/cli.js) as a user or a script would, and reads its output the way
// the CLI contract (shared/DESIGN.md) says a tool may: with --json, one JSON object per stdout line — progress
// events, then exactly one result or one error as the last line.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ProgressEvent as JobProgress } from '../../shared/progress';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI entry to run: bin/vae-studio.js, or another build of it named by VAE_STUDIO_CLI (then not rebuilt here). */
export const BIN = process.env.VAE_STUDIO_CLI ? resolve(process.env.VAE_STUDIO_CLI) : join(REPO, 'bin', 'vae-studio.js');
const BUNDLE = join(REPO, 'dist', 'cli.js');
/** Node 24 from devDependencies (the system node may be older than the CLI supports). */
export const NODE = existsSync(join(REPO, 'node_modules', '.bin', 'node')) ? join(REPO, 'node_modules', '.bin', 'node') : process.execPath;

export interface CliEvent {
  event: 'progress' | 'result' | 'error';
  [key: string]: unknown;
}

/** A progress line: the engine's progress event (shared/progress) with `event: 'progress'`. */
export type ProgressEvent = CliEvent & JobProgress & { event: 'progress' };

export interface CliRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Every stdout line parsed as JSON (only meaningful with --json; a line that is not JSON fails the test). */
  events: CliEvent[];
  progress: ProgressEvent[];
}

/** The child's environment: no debug stack traces, no colour, nothing inherited that changes output. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete env.VAE_STUDIO_DEBUG;
  delete env.FORCE_COLOR;
  return env;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function bundleIsFresh(): boolean {
  if (!existsSync(BUNDLE)) return false;
  const built = statSync(BUNDLE).mtimeMs;
  return ['main/cli', 'main/engine', 'main/studio', 'main/host', 'main/server', 'shared'].every((dir) => newestMtime(join(REPO, dir)) <= built);
}

/**
 * Makes sure dist/cli.js exists and is newer than the sources it bundles, building it (npm run build's script)
 * when not. A lock folder keeps two test workers from building at the same time (the build empties dist/).
 */
export async function ensureBuilt(): Promise<void> {
  if (process.env.VAE_STUDIO_CLI) return;
  const lock = join(tmpdir(), `vae-studio-cli-build-${Buffer.from(REPO).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + 90_000;
  while (!bundleIsFresh()) {
    try {
      mkdirSync(lock);
    } catch {
      // A lock left by a killed run is stale after two minutes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another build of the CLI (lock ${lock})`);
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    try {
      if (!bundleIsFresh()) execFileSync(NODE, ['scripts/build.mjs'], { cwd: REPO, stdio: 'pipe' });
    } finally {
      rmdirSync(lock);
    }
  }
}

function parseEvents(stdout: string, args: string[]): CliEvent[] {
  const events: CliEvent[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`vae-studio ${args.join(' ')}: stdout line is not JSON: ${line.slice(0, 200)}`);
    }
    if (typeof parsed !== 'object' || parsed === null || !('event' in parsed)) {
      throw new Error(`vae-studio ${args.join(' ')}: stdout line has no "event": ${line.slice(0, 200)}`);
    }
    events.push(parsed as CliEvent);
  }
  return events;
}

/** Complete lines only: what precedes the last newline. */
function completeLines(stdout: string): string {
  return stdout.slice(0, stdout.lastIndexOf('\n') + 1);
}

const isProgress = (e: CliEvent): e is ProgressEvent => e.event === 'progress';

function finish(args: string[], code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string): CliRun {
  const json = args.includes('--json');
  // A process killed by a signal may have been stopped partway through writing a line; that line is not its output.
  const events = json ? parseEvents(signal ? completeLines(stdout) : stdout, args) : [];
  return { args, code, signal, stdout, stderr, events, progress: events.filter(isProgress) };
}

export interface SpawnOptions {
  cwd?: string;
  /** Run as this user and group (needs root), e.g. to test permission errors, which root never meets. */
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** A running CLI process whose output can be watched while it runs. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly done: Promise<CliRun>;
  private watchers: (() => void)[] = [];

  constructor(readonly args: string[], opts: SpawnOptions = {}) {
    this.child = spawn(NODE, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: childEnv(opts.env), uid: opts.uid, gid: opts.gid, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    const timeoutMs = opts.timeoutMs ?? 90_000;
    this.done = new Promise((resolveRun, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`vae-studio ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      this.child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      this.child.on('close', (code, signal) => {
        clearTimeout(timer);
        this.notify();
        try {
          resolveRun(finish(args, code, signal, this.stdout, this.stderr));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  private notify() {
    for (const watcher of this.watchers) watcher();
  }

  /** Resolves once `predicate` holds for the output so far; rejects if the process ends first or time runs out. */
  waitFor(predicate: (p: CliProcess) => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    return new Promise((resolveWait, reject) => {
      const check = () => {
        if (predicate(this)) {
          cleanup();
          resolveWait();
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          cleanup();
          reject(new Error(`vae-studio ${this.args.join(' ')} ended before ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== check);
      };
      this.watchers.push(check);
      check();
    });
  }

  /** Complete stdout lines parsed as JSON so far. */
  eventsSoFar(): CliEvent[] {
    return parseEvents(completeLines(this.stdout), this.args);
  }

  /** The progress events among eventsSoFar(). */
  progressSoFar(): ProgressEvent[] {
    return this.eventsSoFar().filter(isProgress);
  }
}

/** Starts `vae-studio <args>` and returns it while it runs. */
export function startCli(args: string[], opts: SpawnOptions = {}): CliProcess {
  return new CliProcess(args, opts);
}

/** Runs `vae-studio <args>` to the end. */
export function runCli(args: string[], opts: SpawnOptions = {}): Promise<CliRun> {
  return new CliProcess(args, opts).done;
}

/** The command, how it ended, and the tail of its output: the message for a failed expectation about a run. */
export function describeRun(run: CliRun): string {
  return `vae-studio ${run.args.join(' ')} → exit ${run.code}${run.signal ? ` (${run.signal})` : ''}\nstdout:\n${run.stdout.slice(-3000)}\nstderr:\n${run.stderr.slice(-3000)}`;
}

/**
 * Asserts a --json run succeeded per the contract (exit 0, only progress events before exactly one final result,
 * no error) and returns the result object.
 */
export function expectResult<T = Record<string, unknown>>(run: CliRun): T & CliEvent {
  const where = describeRun(run);
  expect(run.code, where).toBe(0);
  expect(run.events.length, where).toBeGreaterThan(0);
  const last = run.events[run.events.length - 1];
  expect(last.event, where).toBe('result');
  expect(run.events.slice(0, -1).every((e) => e.event === 'progress'), `only progress events come before the result\n${where}`).toBe(true);
  return last as T & CliEvent;
}

/**
 * Asserts a --json run failed per the contract (exit ≠ 0, exactly one error event, last, with a one-line message,
 * no result event, no stack trace) and returns the message.
 */
export function expectError(run: CliRun): string {
  const where = describeRun(run);
  expect(run.code, where).not.toBe(0);
  expect(run.code, `exited by itself, not killed\n${where}`).not.toBeNull();
  const errors = run.events.filter((e) => e.event === 'error');
  expect(errors.length, `exactly one error event\n${where}`).toBe(1);
  expect(run.events[run.events.length - 1].event, `the error is the last event\n${where}`).toBe('error');
  expect(run.events.filter((e) => e.event === 'result'), `a failed command prints no result event\n${where}`).toEqual([]);
  const message = errors[0].message;
  expect(typeof message, where).toBe('string');
  expect((message as string).length, where).toBeGreaterThan(10);
  expect(message as string, `the error is one line\n${where}`).not.toMatch(/\n/);
  expect(run.stderr, `no stack trace\n${where}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return message as string;
}
