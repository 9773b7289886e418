// Checkpoints of the open project: list them with their held-out losses and a preview, choose the one the
// Explore screens decode with, pin one so pruning keeps it, delete one.
import { RpcError } from '../../../shared/contract/define';
import type { CheckpointItem } from '../../../shared/services/checkpoints';
import type { CheckpointInfo, ProjectStore } from '../../engine/store';
import type { AppContext, ServiceHandlers } from '../api';
import type { ProjectSession } from '../session';
import type { TrainingController } from '../training-controller';

export function createCheckpointsHandlers(app: AppContext, session: ProjectSession, training: TrainingController): ServiceHandlers<'checkpoints'> {
  const changed = () => app.emit('checkpoints', 'changed', {});
  const find = (store: ProjectStore, id: number): CheckpointInfo => {
    const info = store.checkpoints.info(id);
    if (!info) throw new RpcError('not-found', `There is no checkpoint ${id} in this project; it may have been deleted.`);
    return info;
  };

  return {
    list() {
      const store = session.requireStore();
      const active = session.activeCheckpointId();
      return { checkpoints: store.checkpoints.list().map((info) => describe(app, store, info, info.id === active)) };
    },

    restore({ id }) {
      session.setActiveCheckpoint(id);
      changed();
      return {};
    },

    pin({ id, pinned }) {
      const store = session.requireStore();
      find(store, id);
      store.checkpoints.pin(id, pinned);
      changed();
      return {};
    },

    remove({ id }) {
      const store = session.requireStore();
      const info = find(store, id);
      if (info.runId === training.activeRunId() && store.checkpoints.list(info.runId).length === 1) {
        throw new RpcError(
          'invalid-input',
          `Checkpoint ${id} is the only one of run ${info.runId}, which is in training; stop training before deleting it.`,
        );
      }
      store.checkpoints.remove(id);
      session.forgetModel(id);
      changed();
      return {};
    },
  };
}

function describe(app: AppContext, store: ProjectStore, info: CheckpointInfo, active: boolean): CheckpointItem {
  const val = store.metrics.list(info.runId, { split: 'val', fromStep: info.step, toStep: info.step })[0];
  // The sample sheet made at this checkpoint, or the latest one before it.
  const preview = store.previews
    .list(info.runId, 'samples')
    .filter((p) => p.step <= info.step)
    .at(-1);
  return {
    id: info.id,
    runId: info.runId,
    step: info.step,
    epoch: info.epoch,
    createdAt: info.createdAt,
    pinned: info.pinned,
    losses: val && Number.isFinite(val.total) ? { recon: val.recon, kl: val.kl, total: val.total } : null,
    preview: preview ? app.mediaRef('preview', preview.id) : null,
    active,
  };
}
