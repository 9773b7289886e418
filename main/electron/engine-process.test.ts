// The engine process as Electron's main sees it, with the real engine-host.ts and the real app engine in a Node
// child standing in for the utilityProcess: calls and media round-trip, a bad envelope never reaches the engine,
// and a crash fails the calls in flight with a clear message, restarts the engine and tells the window.
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const children: ChildProcess[] = [];

/** utilityProcess.fork, played by a Node child with parentPort shimmed. */
function fakeFork(modulePath: string): EventEmitter & { postMessage(m: unknown): void; kill(): boolean } {
  const child = fork(modulePath, [], {
    execArgv: ['--import', 'tsx', '--import', join(here, 'testing', 'parent-port-shim.mjs')],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  // utilityProcess.postMessage to a process that has died does nothing; Node's child.send emits 'error' instead.
  child.on('error', () => {});
  const proc = Object.assign(new EventEmitter(), {
    postMessage: (message: unknown) => void child.send(message as object),
    kill: () => child.kill('SIGKILL'),
    pid: child.pid,
  });
  child.on('message', (message) => proc.emit('message', message));
  child.on('exit', (code, signal) => proc.emit('exit', code ?? (signal ? 137 : 0)));
  return proc;
}

vi.mock('electron', () => ({ utilityProcess: { fork: (modulePath: string) => fakeFork(modulePath) } }));
const { EngineProcess } = await import('./engine-process');

const home = mkdtempSync(join(tmpdir(), 'vae-engine-process-'));
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

describe('the engine process', () => {
  const events: string[] = [];
  const crashes: { message: string; restarted: boolean }[] = [];
  const engine = new EngineProcess({
    modulePath: join(here, 'engine-host.ts'),
    engineOptions: { projectsFolder: home, exportsFolder: join(home, 'Exports'), configFolder: join(home, '.settings'), host: 'electron', backend: 'cpu' },
    onEvent: (text) => events.push(text),
    onCrash: (message, restarted) => crashes.push({ message, restarted }),
  });

  it('answers contract calls with the real engine, in the wire format', async () => {
    engine.start();
    const reply = await engine.call({ service: 'projects', method: 'host', input: {} });
    expect(reply).toMatchObject({ ok: true, output: { host: 'electron', projectsFolder: home } });
    const invalid = await engine.call({ service: 'projects', method: 'open', input: { path: 42 } });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('refuses a malformed envelope in main, and unknown media is null', async () => {
    expect(await engine.call({ service: 'projects', method: 'no such thing!' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await engine.getMedia('thumb/999')).toBeNull();
  });

  it('after a crash, calls in flight fail saying so, the engine restarts and the next call works', async () => {
    const first = children.at(-1)!;
    // Killed before the call is sent, in the same tick (its exit is not yet seen): it can never be answered. Sending
    // first and killing after would race on a loaded machine — the engine can answer between the two.
    first.kill('SIGKILL');
    const inFlight = engine.call({ service: 'projects', method: 'recent', input: {} });
    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/engine stopped unexpectedly/) } });
    await vi.waitFor(() => expect(crashes).toHaveLength(1), { timeout: 10_000 });
    expect(crashes[0].restarted).toBe(true);
    expect(children.length).toBe(2);
    expect(await engine.call({ service: 'projects', method: 'host', input: {} })).toMatchObject({ ok: true });
  });

  it('shutdown stops the engine and does not restart it', async () => {
    await engine.shutdown();
    await vi.waitFor(() => expect(children.at(-1)!.exitCode !== null || children.at(-1)!.signalCode !== null).toBe(true));
    expect(crashes).toHaveLength(1);
    expect(children).toHaveLength(2);
  });
});
