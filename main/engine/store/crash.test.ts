// In the spirit of SQLite's own crash tests: a child process saves checkpoints in a loop and is SIGKILLed at
// random moments, many times. After every kill the file must pass integrity_check, every checkpoint in it must
// match its checksum, and the newest one must be at least the last the child reported as saved.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProject } from './open';
import { createTestProject } from './test-support/fixtures';
import { useTempFolder } from './test-support/temp-folder';
import { uncommittedWalFrames } from './test-support/wal-frames';

const tempFolder = useTempFolder();
const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const WRITER = join(import.meta.dirname, 'test-support', 'checkpoint-writer.ts');
const MIN_KILLS = 12;
/**
 * Keep killing (up to MAX_KILLS) until a kill has cut a transaction half-way through its WAL writes. That window
 * is about a tenth of the writer's time here, so 60 kills miss it with a probability well under 1%.
 */
const MAX_KILLS = 60;

interface Kill {
  lastSaved: number;
  /** Killed between "begin" and "saved". */
  midSave: boolean;
  /** The WAL held frames of a transaction that never committed: killed while SQLite was writing it. */
  torn?: boolean;
}

/** Starts the writer, lets it save at least once, then kills it 0–200 ms later. */
function runAndKill(path: string): Promise<Kill> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!timer && out.includes('saved ')) {
        timer = setTimeout(() => child.kill('SIGKILL'), Math.random() * 200);
      }
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return fail(new Error(`writer exited by itself (${code ?? signal}): ${err}`));
      const lines = out.trim().split('\n');
      const saved = lines.filter((line) => line.startsWith('saved ')).map((line) => Number(line.slice(6)));
      done({ lastSaved: Math.max(...saved), midSave: lines.at(-1)!.startsWith('begin ') });
    });
  });
}

describe('crash safety', () => {
  it('survives SIGKILL at random moments while checkpoints are written', async () => {
    const created = createTestProject(tempFolder());
    created.close();
    const kills: Kill[] = [];
    const torn = () => kills.filter((k) => k.torn).length;
    while (kills.length < MIN_KILLS || (torn() === 0 && kills.length < MAX_KILLS)) {
      const kill = await runAndKill(created.path);
      kill.torn = uncommittedWalFrames(created.path) > 0;
      kills.push(kill);

      const store = openProject(created.path);
      expect(store.integrityCheck()).toBe('ok');
      const damaged: string[] = [];
      const latest = store.checkpoints.latest(undefined, (error) => damaged.push(error.message));
      expect(damaged).toEqual([]);
      expect(latest!.step).toBeGreaterThanOrEqual(kill.lastSaved);
      expect(latest!.weights.byteLength).toBe(1024 * 1024);
      const all = store.checkpoints.list();
      expect(all.length).toBeLessThanOrEqual(3);
      for (const { id } of all) expect(() => store.checkpoints.get(id)).not.toThrow();
      expect(store.db.prepare('SELECT count(*) FROM checkpoint_data').pluck().get()).toBe(all.length);
      store.close();
    }
    console.log(
      `crash test: ${kills.length} kills, ${kills.filter((k) => k.midSave).length} during a checkpoint save, ` +
        `${torn()} leaving a half-written transaction in the WAL, ` +
        `reached step ${kills.at(-1)!.lastSaved}`,
    );
    expect(torn(), 'no kill landed inside a transaction; the test did not exercise rollback').toBeGreaterThanOrEqual(1);
  });
});
