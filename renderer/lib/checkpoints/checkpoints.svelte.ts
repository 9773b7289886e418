// Checkpoints screen state.
import { type Connected, ConnectedModel } from '../shell/connected';
import type { CheckpointItem } from '../../../shared/services/checkpoints';
import type { ExploreModel } from '../explore/explore.svelte';

export class CheckpointsModel extends ConnectedModel {
  items = $state.raw<CheckpointItem[]>([]);
  /** The checkpoint whose delete button asks for confirmation. */
  confirming = $state<number | null>(null);
  private readonly explore: ExploreModel;

  constructor(deps: Connected, explore: ExploreModel) {
    super(deps);
    this.explore = explore;
  }

  listen(): void {
    this.api.on('checkpoints', 'changed', () => void this.load());
  }

  reset(): void {
    this.items = [];
    this.confirming = null;
  }

  async load(): Promise<void> {
    const result = await this.attempt(() => this.api.checkpoints.list({}));
    if (result) this.items = result.checkpoints;
  }

  async restore(id: number): Promise<void> {
    if (!(await this.attempt(() => this.api.checkpoints.restore({ id })))) return;
    this.explore.stale = true; // the map and decodes now come from another model
    await this.load();
  }

  async pin(id: number, pinned: boolean): Promise<void> {
    if (await this.attempt(() => this.api.checkpoints.pin({ id, pinned }))) await this.load();
  }

  /** First click asks, second click deletes. */
  async remove(id: number): Promise<void> {
    if (this.confirming !== id) {
      this.confirming = id;
      return;
    }
    this.confirming = null;
    if (await this.attempt(() => this.api.checkpoints.remove({ id }))) await this.load();
  }
}
