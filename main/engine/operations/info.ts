// info: everything a person wants to know about a project at a glance.
import { statSync } from 'node:fs';
import type { BackendReport } from '../ml/backends';
import type { ProjectStore } from '../store';

export function projectInfo(store: ProjectStore, backend: BackendReport | null) {
  const settings = store.getSettings();
  const runs = store.runs.list().map((run) => {
    const checkpoints = store.checkpoints.list(run.id);
    const latest = checkpoints[0];
    return {
      id: run.id,
      status: run.status,
      createdAt: run.createdAt,
      config: run.config,
      error: run.error,
      checkpoints: checkpoints.map((c) => ({ id: c.id, step: c.step, epoch: c.epoch, createdAt: c.createdAt, pinned: c.pinned, losses: c.losses })),
      latestStep: latest?.step ?? 0,
    };
  });
  return {
    path: store.path,
    bytes: statSync(store.path).size,
    kind: settings.kind,
    imageSize: settings.imageSize,
    latentSize: settings.latentSize,
    alpha: settings.alpha,
    imageChannels: settings.imageChannels,
    createdAt: settings.createdAt,
    schemaVersion: store.schemaVersion,
    images: store.images.counts(),
    failed: store.images.failures().map((r) => ({ path: r.path, reason: r.error })),
    runs,
    backend,
  };
}

export type ProjectInfo = ReturnType<typeof projectInfo>;
