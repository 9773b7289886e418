// Dataset screen state: the import summary and a page cache for the virtualised thumbnail grid.
import type { Api } from '../../api/client';
import { ConnectedModel } from '../shell/connected';
import type { DatasetItem } from '../../../shared/services/dataset';

export type DatasetSummary = Awaited<ReturnType<Api['dataset']['summary']>>;

export const PAGE_SIZE = 200;

export class DatasetModel extends ConnectedModel {
  summary = $state.raw<DatasetSummary | null>(null);
  total = $state(0);
  /** Items by index; filled page by page as the grid scrolls. */
  items = $state.raw<(DatasetItem | undefined)[]>([]);
  private requested = new Set<number>();

  /** Another project opened: nothing of the previous one's may be shown (its thumbnails least of all). */
  reset(): void {
    this.summary = null;
    this.total = 0;
    this.items = [];
    this.requested.clear();
  }

  async load(): Promise<void> {
    this.summary = (await this.attempt(() => this.api.dataset.summary({}))) ?? null;
    this.requested.clear();
    this.items = [];
    this.total = this.summary?.counts.ready ?? 0;
    await this.fetchPage(0);
  }

  /** Loads a page unless it is loaded or on its way. */
  async fetchPage(page: number): Promise<void> {
    if (this.requested.has(page)) return;
    this.requested.add(page);
    const result = await this.attempt(() => this.api.dataset.page({ offset: page * PAGE_SIZE, limit: PAGE_SIZE, status: 'ready' }));
    if (!result) {
      this.requested.delete(page);
      return;
    }
    this.total = result.total;
    const items = this.items.slice();
    items.length = Math.max(items.length, result.total);
    result.items.forEach((item, i) => (items[page * PAGE_SIZE + i] = item));
    this.items = items;
  }
}
