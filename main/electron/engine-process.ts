// The engine's utilityProcess seen from main: start it, pass calls and media requests, hear its events, and
// restart it when it crashes — calls in flight then fail with a message that says what happened. Three crashes
// within a minute stop the restarts (something is broken for good, e.g. a corrupt native module).
import { utilityProcess, type UtilityProcess } from 'electron';
import type { ReplyMessage } from '../../shared/contract/transport';
import type { AppEngineOptions } from '../studio/api';
import type { FromEngine, ToEngine, WireMedia } from './engine-messages';
import { checkRpcRequest } from './security';

const CRASH_WINDOW_MS = 60_000;
const MAX_CRASHES = 3;
/** Training saves a checkpoint on shutdown; give it time, but never hang the quit forever. */
const SHUTDOWN_TIMEOUT_MS = 60_000;

export interface EngineProcessOptions {
  modulePath: string;
  engineOptions: AppEngineOptions;
  /** An EventMessage as JSON text, for every window. */
  onEvent(text: string): void;
  /** The engine stopped on its own; `restarted` says whether a fresh one is starting. */
  onCrash(message: string, restarted: boolean): void;
}

export class EngineProcess {
  private child: UtilityProcess | null = null;
  private nextId = 1;
  private readonly calls = new Map<number, (reply: ReplyMessage) => void>();
  private readonly media = new Map<number, (media: WireMedia | null) => void>();
  private crashes: number[] = [];
  private stopping = false;
  private onShutdownDone: (() => void) | null = null;

  constructor(private readonly options: EngineProcessOptions) {}

  start(): void {
    const child = utilityProcess.fork(this.options.modulePath, [], { serviceName: 'VAE Studio engine', stdio: 'inherit' });
    this.child = child;
    child.on('message', (message: FromEngine) => this.receive(message));
    child.on('exit', (code) => {
      if (this.child === child) this.child = null;
      this.exited(code);
    });
    this.send({ type: 'init', options: this.options.engineOptions });
  }

  /** Checks the renderer's request, runs it in the engine, and resolves with the reply (never rejects). */
  call(request: unknown): Promise<ReplyMessage> {
    const id = this.nextId++;
    const checked = checkRpcRequest(request, id);
    if (!checked.ok) return Promise.resolve(checked.reply);
    if (!this.child) return Promise.resolve({ id, ok: false, error: { code: 'failed', message: 'The engine is not running; restart VAE Studio.' } });
    return new Promise((resolveCall) => {
      this.calls.set(id, resolveCall);
      this.send({ type: 'call', text: checked.text! });
    });
  }

  getMedia(ref: string): Promise<WireMedia | null> {
    if (!this.child) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolveMedia) => {
      this.media.set(id, resolveMedia);
      this.send({ type: 'media', id, ref });
    });
  }

  /** Asks the engine to stop its jobs (training checkpoints) and close the project; then ends the process. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(done, SHUTDOWN_TIMEOUT_MS);
      this.onShutdownDone = () => {
        clearTimeout(timer);
        done();
      };
      child.once('exit', () => this.onShutdownDone?.());
      this.send({ type: 'shutdown' });
    });
    child.kill();
  }

  private send(message: ToEngine): void {
    this.child?.postMessage(message);
  }

  private receive(message: FromEngine): void {
    switch (message.type) {
      case 'reply': {
        const reply = JSON.parse(message.text) as ReplyMessage;
        this.calls.get(reply.id)?.(reply);
        this.calls.delete(reply.id);
        return;
      }
      case 'event':
        this.options.onEvent(message.text);
        return;
      case 'media':
        this.media.get(message.id)?.(message.media);
        this.media.delete(message.id);
        return;
      case 'shutdown-done':
        this.onShutdownDone?.();
        return;
      case 'fatal':
        console.error(message.message);
        return;
      case 'ready':
        return;
    }
  }

  private exited(code: number): void {
    const lost = `The engine stopped unexpectedly (exit code ${code}).`;
    for (const [id, resolveCall] of this.calls) resolveCall({ id, ok: false, error: { code: 'failed', message: `${lost} Try again; training resumes from its last checkpoint.` } });
    this.calls.clear();
    for (const resolveMedia of this.media.values()) resolveMedia(null);
    this.media.clear();
    if (this.stopping) return;
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    const restart = this.crashes.length < MAX_CRASHES;
    if (restart) this.start();
    this.options.onCrash(lost, restart);
  }
}
