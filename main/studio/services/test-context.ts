// A minimal AppContext for the explore, exports and gallery tests: a real project file with ready images and a
// real checkpoint (an initialised 16×16, latent-8 model saved as one), a session over it, a job runner that
// records progress and can cancel, and a media table. Not the app's own session or job runner, on purpose:
// these tests exercise the services against the AppContext contract only.
import { join } from 'node:path';
import { RpcError } from '../../../shared/contract/define';
import type { ProgressEvent } from '../../../shared/progress';
import type { JobContext } from '../../engine/progress';
import { initBackend } from '../../engine/ml/backends';
import { VaeModel } from '../../engine/ml/model';
import { loadModel } from '../../engine/operations/model-io';
import { type Checkpoint, openProject, type ProjectStore } from '../../engine/store';
import { okImage, TEST_SETTINGS, testRunConfig } from '../../engine/store/test-support/fixtures';
import type { AppContext, JobKind, JobRunner, Media, Session } from '../api';

export interface TestApp {
  app: AppContext;
  store: ProjectStore;
  checkpoint: Checkpoint;
  exportsFolder: string;
  /** Progress events of every job run, in order. */
  progress: { jobId: string; kind: JobKind; event: ProgressEvent }[];
  media(ref: string): Promise<Media | null>;
  /** Saves another checkpoint (different weights) and returns it. */
  addCheckpoint(seed: number): Checkpoint;
  /** Closes the project (session listeners see null). */
  close(): void;
}

export interface TestAppOptions {
  /** Ready images in the dataset (default 20). */
  images?: number;
  /** Whether to save a checkpoint (default true). */
  checkpoint?: boolean;
}

export async function createTestApp(folder: string, opts: TestAppOptions = {}): Promise<TestApp> {
  await initBackend('wasm');
  const store = openProject(join(folder, 'test.vaestudio'), { create: TEST_SETTINGS });
  const imageCount = opts.images ?? 20;
  if (imageCount > 0) store.images.upsertMany(Array.from({ length: imageCount }, (_, i) => okImage(`img${i}.png`)));
  const run = store.runs.create(testRunConfig({ seed: 1 }));
  const addCheckpoint = (seed: number): Checkpoint => {
    const model = VaeModel.create({ size: TEST_SETTINGS.imageSize, latent: TEST_SETTINGS.latentSize }, seed);
    const weights = model.serialize();
    model.dispose();
    const info = store.checkpoints.save({ runId: run.id, step: seed, epoch: 0, rngState: null, losses: {}, weights, optimizer: new Uint8Array(0) });
    return store.checkpoints.get(info.id)!;
  };
  const checkpoint = opts.checkpoint === false ? (undefined as unknown as Checkpoint) : addCheckpoint(1);

  const session = new TestSession(store);
  const progress: TestApp['progress'] = [];
  const resolvers = new Map<string, (id: string) => Promise<Media | null> | Media | null>();
  const exportsFolder = join(folder, 'exports');
  const app: AppContext = {
    options: { projectsFolder: folder, exportsFolder, configFolder: join(folder, 'config'), backend: 'wasm', host: 'server' },
    session,
    jobs: new TestJobs(progress),
    emit: () => undefined,
    registerMedia: (prefix, resolve) => {
      if (resolvers.has(prefix)) throw new Error(`The media prefix "${prefix}" is registered twice`);
      resolvers.set(prefix, resolve);
    },
    mediaRef: (prefix, id) => `${prefix}/${session.mediaScope()}-${id}`,
  };
  return {
    app,
    store,
    checkpoint,
    exportsFolder,
    progress,
    addCheckpoint,
    media: async (ref) => {
      const [prefix, scoped] = ref.split('/', 2);
      const scope = `${session.mediaScope()}-`;
      if (!scoped.startsWith(scope)) return null;
      return (await resolvers.get(prefix)?.(scoped.slice(scope.length))) ?? null;
    },
    close: () => session.closeNow(),
  };
}

class TestSession implements Session {
  private store: ProjectStore | null;
  private active: number | null = null;
  private readonly models = new Map<number, { model: VaeModel; checkpoint: Checkpoint }>();
  private readonly listeners = new Set<(store: ProjectStore | null) => void>();

  constructor(store: ProjectStore) {
    this.store = store;
  }

  requireStore(): ProjectStore {
    if (!this.store) throw new RpcError('no-project', 'Open or create a project first.');
    return this.store;
  }

  current(): ProjectStore | null {
    return this.store;
  }

  mediaScope(): string | null {
    return this.store ? 'test' : null;
  }

  open(): ProjectStore {
    throw new Error('The test session cannot open another project');
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  closeNow(): void {
    for (const { model } of this.models.values()) model.dispose();
    this.models.clear();
    this.store?.close();
    this.store = null;
    for (const listener of this.listeners) listener(null);
  }

  activeCheckpoint(): Checkpoint {
    const store = this.requireStore();
    const checkpoint = this.active !== null ? store.checkpoints.get(this.active) : store.checkpoints.latest();
    if (!checkpoint) throw new RpcError('not-found', 'This project has no trained checkpoint yet; train it first.');
    return checkpoint;
  }

  setActiveCheckpoint(id: number | null): void {
    this.active = id;
  }

  async model(checkpointId?: number): Promise<{ model: VaeModel; checkpoint: Checkpoint }> {
    const id = checkpointId ?? this.activeCheckpoint().id;
    let cached = this.models.get(id);
    if (!cached) {
      cached = loadModel(this.requireStore(), id);
      this.models.set(id, cached);
    }
    return cached;
  }

  onChange(listener: (store: ProjectStore | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

class TestJobs implements JobRunner {
  private readonly running = new Map<string, { kind: JobKind; controller: AbortController; last: ProgressEvent | null }>();

  constructor(private readonly progress: TestApp['progress']) {}

  async run<T>(jobId: string, kind: JobKind, work: (ctx: JobContext) => Promise<T>): Promise<T> {
    const job = { kind, controller: new AbortController(), last: null as ProgressEvent | null };
    this.running.set(jobId, job);
    try {
      return await work({
        signal: job.controller.signal,
        onProgress: (event) => {
          job.last = event;
          this.progress.push({ jobId, kind, event });
        },
      });
    } finally {
      this.running.delete(jobId);
    }
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    job?.controller.abort();
    return job !== undefined;
  }

  list() {
    return [...this.running].map(([jobId, { kind, last }]) => ({ jobId, kind, last }));
  }
}
