// Built maps, kept per checkpoint and per state of the dataset (a re-import makes a new map). Small: the map
// for the active checkpoint and the one before are what a user switches between.
import type { ProjectStore } from '../store';
import type { LatentMapData } from './build-map';

const KEEP = 2;

export class LatentMapCache {
  private readonly entries = new Map<string, LatentMapData>();

  get(checkpointId: number, datasetKey: string): LatentMapData | undefined {
    const key = `${checkpointId}|${datasetKey}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // most recently used last
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(checkpointId: number, datasetKey: string, data: LatentMapData): void {
    this.entries.delete(`${checkpointId}|${datasetKey}`);
    this.entries.set(`${checkpointId}|${datasetKey}`, data);
    while (this.entries.size > KEEP) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The newest map built with this checkpoint, whatever the dataset state (for neighbours of a dropped image). */
  latestFor(checkpointId: number): LatentMapData | undefined {
    return [...this.entries.values()].reverse().find((data) => data.map.checkpointId === checkpointId);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Changes whenever the set of ready images or any of them changes. */
export function datasetKey(store: ProjectStore): string {
  const ready = store.images.list({ status: 'ok' });
  let latest = '';
  let idSum = 0;
  for (const image of ready) {
    idSum += image.id;
    if (image.updatedAt > latest) latest = image.updatedAt;
  }
  return `${ready.length}:${idSum}:${latest}`;
}
