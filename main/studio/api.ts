// The app engine: every renderer-facing service over one open project, independent of its host. The local
// server calls it in-process; Electron runs it in a utilityProcess. Hosts only see AppEngine.
import type { ProgressEvent } from '../../shared/progress';
import type { HandlersOf } from '../../shared/contract/define';
import type { Services } from '../../shared/services';
import type { JobContext } from '../engine/progress';
import type { VaeModel } from '../engine/ml/model';
import type { Checkpoint, ProjectStore } from '../engine/store';

/** What a host talks to. */
export interface AppEngine {
  /** Validates `input` against the contract and runs the method; rejects with an RpcError. */
  dispatch(service: string, method: string, input: unknown): Promise<unknown>;
  /** Bytes (or a file to stream) for a MediaRef such as "thumb/12"; null when it does not exist. */
  media(ref: string): Promise<Media | null>;
  /** Every service event, for every connected renderer. */
  onEvent(listener: EventListener): () => void;
  /** Stops jobs (training saves a checkpoint first) and closes the project. */
  shutdown(): Promise<void>;
}

export type EventListener = (service: string, event: string, payload: unknown) => void;

export interface Media {
  mime: string;
  /** In-memory bytes, or a file on disk to stream. */
  bytes?: Buffer;
  file?: string;
  /** Suggested download name. */
  filename?: string;
}

export interface AppEngineOptions {
  /** Where new projects go by default, e.g. ~/VAE Studio. */
  projectsFolder: string;
  /** Where exports and single-photo denoise outputs go by default. */
  exportsFolder: string;
  /** Small state kept between launches: recent projects. */
  configFolder: string;
  /** "auto" unless a test pins one. */
  backend?: 'auto' | 'onnx' | 'tensorflow' | 'wasm' | 'cpu';
  host: 'electron' | 'server';
}

/** What every service's handlers are built from. */
export interface AppContext {
  options: AppEngineOptions;
  session: Session;
  jobs: JobRunner;
  emit(service: string, event: string, payload: unknown): void;
  /** Registers how refs "<prefix>/<scope>-<id>" are resolved to media (the resolver gets the bare id). */
  registerMedia(prefix: string, resolve: (id: string) => Promise<Media | null> | Media | null): void;
  /** The media reference of `id` under `prefix`, scoped to the open project. */
  mediaRef(prefix: string, id: string | number): string;
}

export interface Session {
  /** The open project, or RpcError("no-project", "Open or create a project first."). */
  requireStore(): ProjectStore;
  current(): ProjectStore | null;
  /** A random token new on each project opening, which media references carry; null when none is open. */
  mediaScope(): string | null;
  /** Opens `path` (closing the current project) and records it as recent. */
  open(path: string): ProjectStore;
  close(): Promise<void>;
  /** The checkpoint the Explore/Interpolate/Gallery screens decode with: the chosen one, else the newest. */
  activeCheckpoint(): Checkpoint;
  setActiveCheckpoint(id: number | null): void;
  /** The model for a checkpoint (the active one by default), cached; rebuilt when the checkpoint changes. */
  model(checkpointId?: number): Promise<{ model: VaeModel; checkpoint: Checkpoint }>;
  /** Called when the project is opened or closed (services drop caches). */
  onChange(listener: (store: ProjectStore | null) => void): () => void;
}

export interface JobRunner {
  /**
   * Runs long work under a client-chosen jobId: jobs.progress events (throttled, with ETA) while it runs,
   * jobs.finished at the end, cancellable through jobs.cancel. Rejects with RpcError("busy") when a job of a
   * kind that must run alone (import, train, batch-denoise) is already running.
   */
  run<T>(jobId: string, kind: JobKind, work: (ctx: JobContext) => Promise<T>): Promise<T>;
  cancel(jobId: string): boolean;
  list(): { jobId: string; kind: JobKind; last: ProgressEvent | null }[];
}

export type JobKind = 'import' | 'train' | 'map' | 'export' | 'denoise' | 'batch-denoise';

export type ServiceHandlers<K extends keyof Services> = HandlersOf<Services[K]>;
