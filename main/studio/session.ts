// The one open project of an app engine: its store, the checkpoint the Explore screens decode with, and the
// models built from checkpoints (cached, since building one means reading and checking megabytes of weights).
import { randomBytes } from 'node:crypto';
import { RpcError } from '../../shared/contract/define';
import type { VaeModel } from '../engine/ml/model';
import { loadModel, NoCheckpointError } from '../engine/operations/model-io';
import { type Checkpoint, openProject, type ProjectStore } from '../engine/store';
import type { Session } from './api';
import type { RecentProjects } from './recent';

/** Models kept in memory: the active checkpoint's and one other (a gallery item regenerated with its own). */
const MODELS_KEPT = 2;

interface CachedModel {
  model: VaeModel;
  checkpoint: Checkpoint;
}

export class ProjectSession implements Session {
  private store: ProjectStore | null = null;
  private scope: string | null = null;
  private chosenCheckpoint: number | null = null;
  /** Most recently used last. */
  private readonly models = new Map<number, CachedModel>();
  private readonly listeners = new Set<(store: ProjectStore | null) => void>();

  constructor(
    private readonly recent: RecentProjects,
    /** Ends the project's running jobs before it is closed (training saves a checkpoint). */
    private readonly stopJobs: () => Promise<void>,
  ) {}

  requireStore(): ProjectStore {
    if (!this.store) throw new RpcError('no-project', 'Open or create a project first.');
    return this.store;
  }

  current(): ProjectStore | null {
    return this.store;
  }

  mediaScope(): string | null {
    return this.scope;
  }

  open(path: string): ProjectStore {
    const store = openProject(path);
    this.closeNow();
    this.store = store;
    this.scope = randomBytes(6).toString('hex');
    void this.recent.add(path);
    this.notify();
    return store;
  }

  async close(): Promise<void> {
    if (!this.store) return;
    await this.stopJobs();
    this.closeNow();
    this.notify();
  }

  activeCheckpoint(): Checkpoint {
    const store = this.requireStore();
    if (this.chosenCheckpoint !== null) {
      const cached = this.models.get(this.chosenCheckpoint);
      if (cached) return cached.checkpoint;
      const chosen = store.checkpoints.get(this.chosenCheckpoint);
      if (chosen) return chosen;
      this.chosenCheckpoint = null; // pruned or deleted since: fall back to the newest
    }
    const newest = store.checkpoints.latest(undefined, (e) => console.warn(`${e.message}; using an older checkpoint.`));
    if (!newest) throw new NoCheckpointError(store.path);
    return newest;
  }

  /** The id activeCheckpoint() would return, without reading any weights; null when there is none. */
  activeCheckpointId(): number | null {
    const store = this.requireStore();
    if (this.chosenCheckpoint !== null && store.checkpoints.info(this.chosenCheckpoint)) return this.chosenCheckpoint;
    return store.checkpoints.list()[0]?.id ?? null;
  }

  setActiveCheckpoint(id: number | null): void {
    const store = this.requireStore();
    if (id !== null && !store.checkpoints.info(id)) {
      throw new RpcError('not-found', `There is no checkpoint ${id} in this project; it may have been deleted.`);
    }
    this.chosenCheckpoint = id;
  }

  async model(checkpointId?: number): Promise<{ model: VaeModel; checkpoint: Checkpoint }> {
    const store = this.requireStore();
    const id = checkpointId ?? this.activeCheckpointId();
    if (id === null) throw new NoCheckpointError(store.path);
    const cached = this.models.get(id);
    if (cached) {
      this.models.delete(id);
      this.models.set(id, cached);
      return cached;
    }
    if (!store.checkpoints.info(id)) throw new RpcError('not-found', `There is no checkpoint ${id} in this project; it may have been deleted.`);
    const loaded = loadModel(store, id);
    this.models.set(id, loaded);
    while (this.models.size > MODELS_KEPT) this.forgetModel(this.models.keys().next().value!);
    return loaded;
  }

  /** Drops the cached model of a deleted checkpoint. */
  forgetModel(checkpointId: number): void {
    const cached = this.models.get(checkpointId);
    if (!cached) return;
    this.models.delete(checkpointId);
    cached.model.dispose();
  }

  onChange(listener: (store: ProjectStore | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private closeNow(): void {
    for (const id of [...this.models.keys()]) this.forgetModel(id);
    this.chosenCheckpoint = null;
    this.store?.close();
    this.store = null;
    this.scope = null;
  }

  private notify(): void {
    for (const listener of this.listeners) {
      try {
        listener(this.store);
      } catch (error) {
        console.error('A project change listener failed:', error);
      }
    }
  }
}
