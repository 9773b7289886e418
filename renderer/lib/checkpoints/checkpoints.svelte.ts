// Checkpoints screen state.
import { api } from '../../api/client';
import type { CheckpointItem } from '../../../shared/services/checkpoints';
import { attempt } from '../app/errors.svelte';
import { explore } from '../explore/explore.svelte';

export class CheckpointsModel {
  items = $state.raw<CheckpointItem[]>([]);
  /** The checkpoint whose delete button asks for confirmation. */
  confirming = $state<number | null>(null);

  listen(): void {
    api.on('checkpoints', 'changed', () => void this.load());
  }

  reset(): void {
    this.items = [];
    this.confirming = null;
  }

  async load(): Promise<void> {
    const result = await attempt(() => api.checkpoints.list({}));
    if (result) this.items = result.checkpoints;
  }

  async restore(id: number): Promise<void> {
    if (!(await attempt(() => api.checkpoints.restore({ id })))) return;
    explore.stale = true; // the map and decodes now come from another model
    await this.load();
  }

  async pin(id: number, pinned: boolean): Promise<void> {
    if (await attempt(() => api.checkpoints.pin({ id, pinned }))) await this.load();
  }

  /** First click asks, second click deletes. */
  async remove(id: number): Promise<void> {
    if (this.confirming !== id) {
      this.confirming = id;
      return;
    }
    this.confirming = null;
    if (await attempt(() => api.checkpoints.remove({ id }))) await this.load();
  }
}

export const checkpoints = new CheckpointsModel();
